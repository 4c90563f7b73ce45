import { afterEach, describe, expect, it } from 'vitest';
import { VERIFICATION_CONTEXT } from '../../../main/core/dimse/echo';
import {
  AssociationRejectedError,
  ConnectionError,
  TimeoutError,
} from '../../../main/core/dimse/errors';
import { openAssociation } from '../../../main/core/dimse/openAssociation';
import { freePort } from '../../services';
import { startFakePeer, type FakePeer } from './fakePeer';

let peer: FakePeer | undefined;
afterEach(async () => {
  await peer?.stop();
  peer = undefined;
});

const associate = (port: number, associationMs = 5000) =>
  openAssociation({
    host: '127.0.0.1',
    port,
    calledAeTitle: 'PEER',
    callingAeTitle: 'CAPTURE1',
    presentationContexts: [VERIFICATION_CONTEXT],
    timeouts: { connectMs: 2000, associationMs },
  });

describe('association failures are typed errors', () => {
  it('reports a rejection with result, source and reason in words', async () => {
    peer = await startFakePeer({ kind: 'reject', result: 1, source: 1, reason: 7 });
    const error = await associate(peer.port).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AssociationRejectedError);
    expect((error as AssociationRejectedError).reasonText).toBe('called AE title not recognised');
    expect((error as Error).message).toBe(
      'association rejected (permanent) by the called application (service user): called AE title not recognised',
    );
  });

  it('gives TimeoutError("association") when the peer never answers the request', async () => {
    peer = await startFakePeer({ kind: 'silent' });
    const started = Date.now();
    const error = await associate(peer.port, 300).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).phase).toBe('association');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('gives ConnectionError when nothing listens', async () => {
    const port = await freePort();
    await expect(associate(port)).rejects.toBeInstanceOf(ConnectionError);
  });
});
