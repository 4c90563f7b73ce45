/**
 * Issue 7, done-when 1 (scaled for CI, but real): instances queued, the queue process SIGKILLed at
 * random moments ten times and restarted; afterwards every instance is in Orthanc exactly once,
 * committed by it (storage commitment reported to the station's SCP), and the spool is empty.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli';
import { freePort, startOrthanc, type Orthanc } from '../../services';
import { testUid } from '../../unit/outbox/instanceFixture';
import {
  exited,
  makeInstances,
  makeStation,
  orthancSopInstanceUids,
  sleep,
  spawnCli,
  type Station,
} from './stationFixture';

const INSTANCES = 200;
const KILLS = 10;
const RUN = 41;

describe('outbox under SIGKILL', () => {
  let orthanc: Orthanc;
  let station: Station;
  let scpPort: number;
  const previousHome = process.env.CAPTURE_STATION_HOME;

  beforeAll(async () => {
    scpPort = await freePort();
    orthanc = await startOrthanc({
      modalities: { STATION: { aet: 'CAPTURE1', host: '127.0.0.1', port: scpPort } },
    });
    station = await makeStation({
      station: { aeTitle: 'CAPTURE1' },
      destinations: {
        pacs: {
          type: 'dimse',
          host: '127.0.0.1',
          port: orthanc.dicomPort,
          calledAeTitle: orthanc.aet,
          commit: true,
        },
      },
    });
    process.env.CAPTURE_STATION_HOME = station.home;
  });

  afterAll(async () => {
    if (previousHome === undefined) delete process.env.CAPTURE_STATION_HOME;
    else process.env.CAPTURE_STATION_HOME = previousHome;
    await orthanc?.stop({ graceMs: 0 });
  });

  it(
    `delivers all ${INSTANCES} exactly once through ${KILLS} kills`,
    { timeout: 90_000 },
    async () => {
      const files = await makeInstances(join(station.home, 'in'), INSTANCES, RUN);
      const errors: string[] = [];
      const added = await runCli(['--config', station.configFile, 'queue', 'add', ...files], {
        out: () => undefined,
        err: (line) => errors.push(line),
      });
      expect(errors).toEqual([]);
      expect(added).toBe(0);

      const run = ['queue', 'run', '--until-empty', '--keep-days', '0', '--retry-max-delay', '1'];
      run.push('--scp-port', String(scpPort));
      let killedWhileSending = 0;
      for (let kill = 0; kill < KILLS; kill++) {
        const child = spawnCli(station, run);
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

      const last = spawnCli(station, run);
      let stderr = '';
      last.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const { code } = await exited(last);
      expect(stderr).toBe('');
      expect(code).toBe(0);

      const stored = await orthancSopInstanceUids(orthanc.baseUrl);
      const expected = Array.from({ length: INSTANCES }, (_, i) => testUid(i + 1, RUN));
      expect(stored.length).toBe(INSTANCES);
      expect(new Set(stored)).toEqual(new Set(expected));
      // Committed jobs are removed at once with --keep-days 0: nothing uncommitted, nothing left over.
      expect(await readdir(join(station.home, 'outbox', 'jobs'))).toEqual([]);
      expect(await readdir(join(station.home, 'outbox', 'files'))).toEqual([]);
    },
  );
});
