import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cEcho, VERIFICATION_CONTEXT } from '../../../main/core/dimse/echo';
import { openAssociation } from '../../../main/core/dimse/openAssociation';
import { startStorescp, type Storescp } from '../../services';

const scratch = path.join(os.tmpdir(), `dimse-assoc-${process.pid}`);

describe('association against DCMTK storescp', () => {
  let storescp: Storescp;
  beforeAll(async () => {
    storescp = await startStorescp({ outDir: path.join(scratch, 'ok') });
  });
  afterAll(async () => {
    await storescp?.stop();
  });

  it('negotiates, echoes, reports the peer implementation and releases', async () => {
    const association = await openAssociation({
      host: '127.0.0.1',
      port: storescp.port,
      calledAeTitle: storescp.aet,
      callingAeTitle: 'CAPTURE1',
      presentationContexts: [VERIFICATION_CONTEXT],
    });
    expect(association.negotiated?.peerImplementationClassUid).toMatch(/^1\.2\.276\.0\.7230010/);
    expect(association.negotiated?.peerMaxPduLength).toBeGreaterThan(0);
    expect(await cEcho(association)).toBe(0);
    expect(await cEcho(association)).toBe(0);
    await association.release();
    expect(association.isOpen).toBe(false);
  });
});
