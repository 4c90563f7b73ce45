/**
 * The app opened while `capture-station queue run` sent from the spool only enqueues. When that
 * process goes (here: killed, its lock left stale), the app must take the spool over and send what
 * waits, instead of leaving every capture queued until it is restarted.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StationConfig } from '../../../main/core/config/schema';
import type { Logger } from '../../../main/core/log/Logger';
import { spoolFolderOf } from '../../../main/core/outbox/createOutbox';
import { spoolSender } from '../../../main/core/outbox/spoolLock';
import { StationOutbox } from '../../../main/core/station/stationOutbox';
import { exited, makeInstances, makeStation, sleep, spawnCli } from './stationFixture';

const quiet: Logger = { info: () => {}, warn: () => {}, error: () => {} };
const folders: string[] = [];
afterAll(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

async function eventually(check: () => Promise<boolean>, what: string, ms = 20_000) {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) if (await check()) return;
  throw new Error(`never happened: ${what}`);
}

describe('the station outbox when the process that sent has gone', () => {
  it('takes the spool over and sends what waits', { timeout: 60_000 }, async () => {
    const archives = await mkdtemp(join(tmpdir(), 'takeover-archive-'));
    folders.push(archives);
    const archive = join(archives, 'archive');
    const config = {
      station: { aeTitle: 'CAPTURE1' },
      destinations: { archive: { type: 'folder', path: archive } },
    };
    const station = await makeStation(config);
    folders.push(station.home, station.media);
    const spool = spoolFolderOf(station.home);

    const child = spawnCli(station, ['queue', 'run']);
    await eventually(async () => (await spoolSender(spool)) === child.pid, 'the child sends');
    const outbox = new StationOutbox(
      StationConfig.parse(config),
      station.home,
      quiet,
      undefined,
      100,
    );
    try {
      expect((await outbox.status()).sending).toBe(false);
      child.kill('SIGKILL'); // gone without releasing its lock
      await exited(child);

      const [file] = await makeInstances(join(station.media, 'in'), 1, 91);
      await outbox.accept(file ?? '');
      await eventually(async () => {
        const status = await outbox.status();
        return status.sending && status.unsent === 0;
      }, 'sent by the station after taking the spool over');
      expect(await spoolSender(spool)).toBe(process.pid);
      const entries = await readdir(archive, { recursive: true, withFileTypes: true });
      const delivered = entries.filter((e) => e.isFile() && e.name !== 'DICOMDIR');
      expect(delivered).toHaveLength(1);
    } finally {
      await outbox.close();
    }
    expect(await spoolSender(spool)).toBeUndefined();
  });
});
