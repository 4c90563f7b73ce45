/**
 * The app's import announces the disc's kinds to the station's outbox (StationOutbox.expect),
 * usually before the outbox has finished opening: the announcement must still reach the first
 * association DCMTK storescp receives, and one withdrawn before then must not.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StationConfig } from '../../../main/core/config/schema';
import type { Logger } from '../../../main/core/log/Logger';
import { StationOutbox } from '../../../main/core/station/stationOutbox';
import { startStorescp, type Storescp } from '../../services';
import { makeInstances, makeStation, sleep } from './stationFixture';

const CT = { sopClassUid: '1.2.840.10008.5.1.4.1.1.2', transferSyntaxUid: '1.2.840.10008.1.2.1' };
const quiet: Logger = { info: () => {}, warn: () => {}, error: () => {} };

let storescp: Storescp | undefined;
let outbox: StationOutbox | undefined;
const folders: string[] = [];
afterEach(async () => {
  await outbox?.close();
  await storescp?.stop();
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

/** Sends one secondary capture through a fresh StationOutbox; storescp's debug log after it. */
async function sendOneAnnouncing(withdrawAtOnce: boolean): Promise<string> {
  const station = await makeStation({});
  folders.push(station.home);
  storescp = await startStorescp({ outDir: join(station.home, 'received'), extraArgs: ['-d'] });
  const config = StationConfig.parse({
    destinations: {
      pacs: { type: 'dimse', host: '127.0.0.1', port: storescp.port, calledAeTitle: storescp.aet },
    },
  });
  outbox = new StationOutbox(config, station.home, quiet);
  const withdraw = outbox.expect([CT]); // the outbox is still opening
  if (withdrawAtOnce) withdraw();
  const [file] = await makeInstances(join(station.home, 'in'), 1, 61);
  await outbox.accept(file ?? '');
  for (let waited = 0; (await outbox.status()).unsent > 0; waited += 50) {
    if (waited > 10_000) throw new Error('not sent within 10 s');
    await sleep(50);
  }
  withdraw();
  return readFile(storescp.logFile, 'utf8');
}

describe('StationOutbox.expect', () => {
  it('has the first association propose the announced kind, made before the outbox opened', async () => {
    const log = await sendOneAnnouncing(false);
    expect(log).toMatch(/Abstract Syntax:\s*=SecondaryCaptureImageStorage/);
    expect(log).toMatch(/Abstract Syntax:\s*=CTImageStorage/);
  });

  it('proposes nothing more once withdrawn, even before the outbox opened', async () => {
    const log = await sendOneAnnouncing(true);
    expect(log).toMatch(/Abstract Syntax:\s*=SecondaryCaptureImageStorage/);
    expect(log).not.toMatch(/CTImageStorage/);
  });
});
