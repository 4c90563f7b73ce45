/**
 * Two real processes on one spool: `queue run` in a child holds the spool lock and sends; this
 * process is a follower (the app opened while the queue runs). A person's cancel made here must
 * stop the child from delivering the item (controlRequests.ts): it used to be a journal line the
 * sender never read, and the image was sent anyway.
 */
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StationConfig } from '../../../main/core/config/schema';
import { createOutbox, spoolFolderOf } from '../../../main/core/outbox/createOutbox';
import type { Outbox } from '../../../main/core/outbox/Outbox';
import { OutboxSettings } from '../../../main/core/outbox/outboxConfig';
import { spoolSender } from '../../../main/core/outbox/spoolLock';
import { toStatus } from '../../../main/core/station/stationOutbox';
import { OutboxStatus } from '../../../preload/shapes';
import { exited, makeInstances, makeStation, sleep, spawnCli } from './stationFixture';

const RUN = 57;

/** Polls `check` (async) every 50 ms until it holds; throws naming `what` after `ms`. */
async function eventually(check: () => Promise<boolean>, what: string, ms = 20_000) {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) if (await check()) return;
  throw new Error(`never happened: ${what}`);
}

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && e.name !== 'DICOMDIR')
    .map((e) => join(e.parentPath, e.name));
}

function stateOf(outbox: Outbox, jobId: string, destination: string): string | undefined {
  return outbox.snapshot().items.find((i) => i.jobId === jobId)?.deliveries[destination]?.state;
}

/** The item as the app's outbox view receives it (validated as the preload contract does). */
function shown(outbox: Outbox, jobId: string) {
  return OutboxStatus.parse(toStatus(outbox.snapshot())).items.find((i) => i.jobId === jobId);
}

describe('a control made in a follower while another process sends', () => {
  it(
    'a cancelled item is never delivered by the process that sends',
    { timeout: 60_000 },
    async () => {
      // `probe` shows when the child is sending; `archive` is held until the person has chosen.
      const folders = await mkdtemp(join(tmpdir(), 'follower-archives-'));
      const archive = join(folders, 'archive');
      const config = {
        station: { aeTitle: 'CAPTURE1' },
        destinations: {
          archive: { type: 'folder', path: archive },
          probe: { type: 'folder', path: join(folders, 'probe') },
        },
      };
      const station = await makeStation(config);
      const follower = await createOutbox({
        config: StationConfig.parse(config),
        dataFolder: station.home,
        settings: OutboxSettings.parse({ minFreeMegabytes: 0 }),
        recover: false,
      });
      const [probeFile, wrongFile, rightFile] = await makeInstances(
        join(station.home, 'in'),
        3,
        RUN,
      );
      if (!probeFile || !wrongFile || !rightFile) throw new Error('three instances expected');
      const probe = await follower.enqueue(probeFile, { destinations: ['probe'] });
      const wrong = await follower.enqueue(wrongFile, { destinations: ['archive'] });
      const right = await follower.enqueue(rightFile, { destinations: ['archive'] });
      await follower.pause({ destination: 'archive' }); // no process sends yet: applied at its open

      const child = spawnCli(station, ['queue', 'run']);
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      try {
        // Delivered by the child: it has opened the spool and knows every job in it now.
        await eventually(async () => {
          await follower.rescan();
          return stateOf(follower, probe.jobId, 'probe') === 'committed';
        }, 'the child sends');
        expect(await spoolSender(spoolFolderOf(station.home))).toBe(child.pid);
        expect(follower.snapshot().destinations.find((d) => d.name === 'archive')).toMatchObject({
          paused: true,
          counts: { queued: 2 },
        });

        await follower.cancel({ destination: 'archive', jobId: wrong.jobId }, { confirmed: true });
        // Until the child applies it, the app shows the cancel as asked, not as done.
        expect(shown(follower, wrong.jobId)).toMatchObject({ controlPending: true });
        await follower.resume({ destination: 'archive' });
        await eventually(async () => {
          await follower.rescan();
          // The folder destination reports each copy as committed at once.
          return stateOf(follower, right.jobId, 'archive') === 'committed';
        }, 'the other item delivered by the child once resumed');
        expect(stateOf(follower, wrong.jobId, 'archive')).toBe('cancelled');
        expect(shown(follower, wrong.jobId)?.controlPending).toBeUndefined();
      } finally {
        child.kill('SIGTERM');
        await exited(child);
      }
      expect(stderr).toBe('');

      const delivered = await Promise.all((await filesUnder(archive)).map((f) => readFile(f)));
      expect(delivered).toHaveLength(1);
      expect(delivered[0]?.equals(await readFile(rightFile))).toBe(true);
      // The child compacted the journal when it stopped: the cancel is still there.
      await follower.rescan();
      expect(stateOf(follower, wrong.jobId, 'archive')).toBe('cancelled');
      await follower.stop();
    },
  );
});
