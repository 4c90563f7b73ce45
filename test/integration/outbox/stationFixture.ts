/**
 * A station data folder for outbox integration tests: config.json, tiny instances, the queue CLI
 * as a child process (so it can be SIGKILLed), and what Orthanc holds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { freePort, startOrthanc, type Orthanc, type OrthancOptions } from '../../services';
import { testUid, writeInstance, type InstanceFields } from '../../unit/outbox/instanceFixture';

export interface Station {
  readonly home: string;
  /**
   * For the media a test imports from (discs, folders): outside `home`, since the station refuses
   * to import from its own data folder (its spool holds other patients' images).
   */
  readonly media: string;
  readonly configFile: string;
  readonly env: NodeJS.ProcessEnv;
}

export async function makeStation(config: object): Promise<Station> {
  const home = await mkdtemp(join(tmpdir(), 'outbox-it-'));
  const media = await mkdtemp(join(tmpdir(), 'outbox-it-media-'));
  const configFile = join(home, 'config.json');
  await writeFile(configFile, JSON.stringify(config, null, 2));
  return { home, media, configFile, env: { ...process.env, CAPTURE_STATION_HOME: home } };
}

export async function makeInstances(
  folder: string,
  count: number,
  run: number,
  extra: Partial<InstanceFields> = {},
): Promise<string[]> {
  await mkdir(folder, { recursive: true });
  const paths: string[] = [];
  for (let n = 1; n <= count; n++) {
    paths.push(
      await writeInstance(join(folder, `${n}.dcm`), {
        sopInstanceUid: testUid(n, run),
        instanceNumber: n,
        ...extra,
      }),
    );
  }
  return paths;
}

const ROOT = resolve(import.meta.dirname, '../../..');
const JITI = join(ROOT, 'node_modules', 'jiti', 'lib', 'jiti-cli.mjs');
const CHILD = join(import.meta.dirname, 'queueChild.ts');

/** `capture-station <args>` in its own Node process (TypeScript run through jiti, as in dev). */
export function spawnCli(station: Station, args: readonly string[]): ChildProcess {
  return spawn(process.execPath, [JITI, CHILD, '--config', station.configFile, ...args], {
    env: station.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function exited(
  child: ChildProcess,
): Promise<{ code: number | null; signal: string | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Every SOP Instance UID Orthanc holds (one entry per stored instance). */
export async function orthancSopInstanceUids(baseUrl: string): Promise<string[]> {
  const response = await fetch(`${baseUrl}/instances?expand`);
  const instances = (await response.json()) as { MainDicomTags: { SOPInstanceUID: string } }[];
  return instances.map((i) => i.MainDicomTags.SOPInstanceUID);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ArchiveStation {
  /** Filled in by the suite's beforeAll. */
  orthanc: Orthanc;
  station: Station;
  /** The station's storage-commitment SCP port, registered in Orthanc (0 without commitment). */
  scpPort: number;
}

/**
 * For one describe block: a real Orthanc, and a station (AE CAPTURE1) whose `pacs` destination is
 * that Orthanc — with storage commitment and the station known to Orthanc as a modality when
 * `commit` is set. CAPTURE_STATION_HOME points at the station while the suite runs.
 */
export function useArchiveStation(
  options: { commit?: boolean; orthanc?: OrthancOptions } = {},
): ArchiveStation {
  const archive = {} as ArchiveStation;
  const previousHome = process.env.CAPTURE_STATION_HOME;
  beforeAll(async () => {
    archive.scpPort = options.commit ? await freePort() : 0;
    const modalities = options.commit
      ? { STATION: { aet: 'CAPTURE1', host: '127.0.0.1', port: archive.scpPort } }
      : undefined;
    archive.orthanc = await startOrthanc({
      ...options.orthanc,
      ...(modalities ? { modalities } : {}),
    });
    const { dicomPort, aet } = archive.orthanc;
    const pacs = { type: 'dimse', host: '127.0.0.1', port: dicomPort, calledAeTitle: aet };
    archive.station = await makeStation({
      station: { aeTitle: 'CAPTURE1' },
      destinations: { pacs: options.commit ? { ...pacs, commit: true } : pacs },
    });
    process.env.CAPTURE_STATION_HOME = archive.station.home;
  });
  afterAll(async () => {
    if (previousHome === undefined) delete process.env.CAPTURE_STATION_HOME;
    else process.env.CAPTURE_STATION_HOME = previousHome;
    await archive.orthanc?.stop({ graceMs: 0 });
  });
  return archive;
}
