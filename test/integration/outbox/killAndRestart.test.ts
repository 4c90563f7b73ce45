/**
 * Issue 7, done-when 1 (scaled for CI, but real): instances queued, the queue process SIGKILLed at
 * random moments ten times and restarted; afterwards every instance is in Orthanc exactly once,
 * committed by it (storage commitment reported to the station's SCP), and the spool is empty.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli';
import { testUid } from '../../unit/outbox/instanceFixture';
import {
  exited,
  makeInstances,
  orthancSopInstanceUids,
  sleep,
  spawnCli,
  useArchiveStation,
} from './stationFixture';

const INSTANCES = 200;
const KILLS = 10;
const RUN = 41;

describe('outbox under SIGKILL', () => {
  const archive = useArchiveStation({ commit: true });

  it(
    `delivers all ${INSTANCES} exactly once through ${KILLS} kills`,
    { timeout: 90_000 },
    async () => {
      const files = await makeInstances(join(archive.station.home, 'in'), INSTANCES, RUN);
      const errors: string[] = [];
      const added = await runCli(
        ['--config', archive.station.configFile, 'queue', 'add', ...files],
        {
          out: () => undefined,
          err: (line) => errors.push(line),
        },
      );
      expect(errors).toEqual([]);
      expect(added).toBe(0);

      const run = ['queue', 'run', '--until-empty', '--keep-days', '0', '--retry-max-delay', '1'];
      run.push('--scp-port', String(archive.scpPort));
      let killedWhileSending = 0;
      for (let kill = 0; kill < KILLS; kill++) {
        const child = spawnCli(archive.station, run);
        const firstLine = new Promise<void>((resolve) =>
          child.stdout?.once('data', () => resolve()),
        );
        // Half the kills land while the runner starts and recovers, half while it is sending.
        if (kill % 2 === 0) await Promise.race([sleep(200 + Math.random() * 1_500), exited(child)]);
        else await Promise.race([firstLine.then(() => sleep(Math.random() * 250)), exited(child)]);
        const sending = child.exitCode === null;
        child.kill('SIGKILL');
        await exited(child);
        if (sending) killedWhileSending += 1;
      }
      console.log(`outbox kill test: ${killedWhileSending} of ${KILLS} kills hit a running queue`);

      const last = spawnCli(archive.station, run);
      let stderr = '';
      last.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const { code } = await exited(last);
      expect(stderr).toBe('');
      expect(code).toBe(0);

      const stored = await orthancSopInstanceUids(archive.orthanc.baseUrl);
      const expected = Array.from({ length: INSTANCES }, (_, i) => testUid(i + 1, RUN));
      expect(stored.length).toBe(INSTANCES);
      expect(new Set(stored)).toEqual(new Set(expected));
      // Committed jobs are removed at once with --keep-days 0: nothing uncommitted, nothing left over.
      expect(await readdir(join(archive.station.home, 'outbox', 'jobs'))).toEqual([]);
      expect(await readdir(join(archive.station.home, 'outbox', 'files'))).toEqual([]);
    },
  );
});
