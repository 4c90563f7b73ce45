import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cEcho } from './echo';
import { freePort } from './freePort';
import { retryOnAddressInUse, spawnService, waitUntilReady } from './serviceProcess';
import { resolveTool } from './tools';

export interface WorklistServer {
  /** The called AE title the worklist answers to: the folder <worklistDir>/<aet>. */
  readonly aet: string;
  readonly port: number;
  readonly worklistDir: string;
  /** Addition: PID of wlmscpfs, so tests can prove it is gone after stop(). */
  readonly pid: number;
  /** Addition: wlmscpfs's verbose log (removed by stop()). */
  readonly logFile: string;
  /** SIGTERM, SIGKILL after 5 s; removes the log. worklistDir belongs to the caller and is kept. */
  stop(): Promise<void>;
}

export interface WorklistServerOptions {
  /** Contains <AET>/*.wl and <AET>/lockfile (see writeWorklistFolder). */
  worklistDir: string;
  /** Default 'WORKLIST'. */
  aet?: string;
  /** Addition: appended before the port, e.g. ['--fork'] to serve associations in parallel. */
  extraArgs?: string[];
}

/**
 * wlmscpfs -csk -dfp <worklistDir> <port>, in single-process mode so no forked child can outlive
 * stop(). `-csk` returns the Specific Character Set of each .wl file: without it wlmscpfs drops the
 * attribute and UTF-8 names arrive garbled (DOMAIN.md). Creates <worklistDir>/<aet>/lockfile if
 * missing, so an empty worklist is valid. wlmscpfs rereads the .wl files on every query, so tests
 * may rewrite them while it runs. Resolves once a C-ECHO succeeds; throws with the log tail if it
 * does not within 10 s, or if dcmtk is missing.
 *
 * Note: wlmscpfs silently skips .wl files missing PS3.4 K.6.1 return keys ("incomplete"), and
 * answers matches with status 0xFF01 (pending, optional keys unsupported), which is not an error.
 */
export function startWorklistServer(options: WorklistServerOptions): Promise<WorklistServer> {
  const binary = resolveTool('wlmscpfs', 'dcmtk');
  resolveTool('echoscu', 'dcmtk');
  return retryOnAddressInUse(() => startOnce(binary, options));
}

async function startOnce(binary: string, options: WorklistServerOptions): Promise<WorklistServer> {
  const aet = options.aet ?? 'WORKLIST';
  const aetDir = path.join(options.worklistDir, aet);
  await mkdir(aetDir, { recursive: true });
  // flag 'a': creates the lockfile if missing, leaves an existing one untouched.
  await writeFile(path.join(aetDir, 'lockfile'), '', { flag: 'a' });
  const logDir = await mkdtemp(path.join(os.tmpdir(), 'rig-wlmscpfs-'));
  const port = await freePort();
  const args = [
    '-v',
    '-s',
    '-csk',
    '-dfp',
    options.worklistDir,
    ...(options.extraArgs ?? []),
    String(port),
  ];
  const service = spawnService({
    name: 'wlmscpfs',
    command: binary,
    args,
    logFile: path.join(logDir, 'wlmscpfs.log'),
  });
  try {
    await waitUntilReady(service, () => cEcho(port, aet), 10_000);
  } catch (error) {
    await rm(logDir, { recursive: true, force: true });
    throw error;
  }
  return {
    aet,
    port,
    worklistDir: options.worklistDir,
    pid: service.pid,
    logFile: service.logFile,
    stop: async () => {
      await service.stop();
      await rm(logDir, { recursive: true, force: true });
    },
  };
}
