import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cEcho } from './echo';
import { freePort } from './freePort';
import { retryOnAddressInUse, spawnService, waitUntilReady } from './serviceProcess';
import { resolveTool } from './tools';

export interface Storescp {
  readonly aet: string;
  readonly port: number;
  /**
   * Where received instances are written, named <SOP class abbreviation>.<SOP Instance UID>
   * (storescp's default, e.g. 'VLp.2.25…' for VL Photographic, 'VVe.2.25…' for Video Endoscopic).
   */
  readonly outDir: string;
  /** Addition: PID of storescp, so tests can prove it is gone after stop(). */
  readonly pid: number;
  /** Addition: storescp's verbose log (removed by stop()). */
  readonly logFile: string;
  /** SIGTERM, SIGKILL after 5 s; removes the log. outDir belongs to the caller and is kept. */
  stop(): Promise<void>;
}

export interface StorescpOptions {
  outDir: string;
  /** Default 'STORESCP'. */
  aet?: string;
  /** Receive and acknowledge but do not write (storescp --ignore): a fast sink for benchmarks. */
  ignore?: boolean;
  /**
   * Appended after the defaults (-v +xa -dhl) and before the port, e.g. ['-pm'] (unknown SOP
   * classes), ['--refuse'], or ['+xi']: a later transfer-syntax preference overrides +xa (checked).
   */
  extraArgs?: string[];
}

/**
 * Starts DCMTK storescp on a fresh port accepting every transfer syntax it knows (+xa: video
 * MPEG-2/MPEG-4/HEVC included) and resolves once a C-ECHO succeeds. Creates outDir if needed.
 * Throws if dcmtk is missing or storescp does not answer within 10 s (with the log tail).
 */
export function startStorescp(options: StorescpOptions): Promise<Storescp> {
  const binary = resolveTool('storescp', 'dcmtk');
  resolveTool('echoscu', 'dcmtk');
  return retryOnAddressInUse(() => startOnce(binary, options));
}

async function startOnce(binary: string, options: StorescpOptions): Promise<Storescp> {
  const aet = options.aet ?? 'STORESCP';
  await mkdir(options.outDir, { recursive: true });
  const logDir = await mkdtemp(path.join(os.tmpdir(), 'rig-storescp-'));
  const port = await freePort();
  const args = [
    '-v',
    '+xa',
    '-dhl',
    '--aetitle',
    aet,
    '--output-directory',
    options.outDir,
    ...(options.ignore === true ? ['--ignore'] : []),
    ...(options.extraArgs ?? []),
    String(port),
  ];
  const service = spawnService({
    name: 'storescp',
    command: binary,
    args,
    logFile: path.join(logDir, 'storescp.log'),
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
    outDir: options.outDir,
    pid: service.pid,
    logFile: service.logFile,
    stop: async () => {
      await service.stop();
      await rm(logDir, { recursive: true, force: true });
    },
  };
}
