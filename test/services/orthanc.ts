import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './freePort';
import { retryOnAddressInUse, spawnService, waitUntilReady } from './serviceProcess';
import { resolveTool } from './tools';

export interface Orthanc {
  readonly aet: string;
  readonly dicomPort: number;
  readonly httpPort: number;
  /** 'http://127.0.0.1:<httpPort>': the REST API, no authentication. */
  readonly baseUrl: string;
  /** `${baseUrl}/dicom-web` (QIDO-RS, WADO-RS, STOW-RS). */
  readonly dicomWebUrl: string;
  readonly storageDir: string;
  /** Addition: PID of the Orthanc process, so tests can prove it is gone after stop(). */
  readonly pid: number;
  /** Addition: Orthanc's stdout/stderr (removed by stop()). */
  readonly logFile: string;
  /**
   * SIGTERM, SIGKILL after `graceMs` (default 5 s), then removes the temporary storage, index and
   * config. Orthanc 1.10 needs about 3 s to shut down (its HTTP and DICOM server threads poll);
   * addition: pass { graceMs: 0 } to kill at once when the test does not care about a clean exit.
   * Addition: { keepFiles: true } leaves the storage (under `dirname(storageDir)`) for the caller
   * to remove later (bench/import: a mass deletion slows the next side's file creations).
   */
  stop(options?: { graceMs?: number; keepFiles?: boolean }): Promise<void>;
}

export interface OrthancOptions {
  /** Orthanc's own AE title; default 'ORTHANC'. */
  aet?: string;
  /** DicomModalities entries, e.g. the station as a modality so storage-commitment reports can reach it. */
  modalities?: Record<string, { aet: string; host: string; port: number }>;
  /** Addition: merged last into the generated configuration (e.g. { StableAge: 1 }). */
  extraConfig?: Record<string, unknown>;
  /** Addition: where the temporary storage, index and config go; default the OS temp folder. */
  parentDir?: string;
}

const STARTUP_TIMEOUT_MS = 20_000;

/**
 * Starts a private Orthanc (with the DICOMweb plugin) on fresh ports, storage and index in a new
 * temporary directory, and resolves once GET /system answers. Throws if Orthanc or the plugin is
 * not installed, or if Orthanc does not answer within 20 s (message includes the log tail).
 */
export function startOrthanc(options: OrthancOptions = {}): Promise<Orthanc> {
  const binary = resolveTool('Orthanc', 'orthanc');
  const plugin = findDicomWebPlugin();
  return retryOnAddressInUse(() => startOnce(binary, plugin, options));
}

async function startOnce(
  binary: string,
  plugin: string,
  options: OrthancOptions,
): Promise<Orthanc> {
  const aet = options.aet ?? 'ORTHANC';
  const root = await mkdtemp(path.join(options.parentDir ?? os.tmpdir(), 'rig-orthanc-'));
  const configDir = path.join(root, 'config');
  const storageDir = path.join(root, 'storage');
  await Promise.all([mkdir(configDir), mkdir(storageDir)]);
  const dicomPort = await freePort();
  let httpPort = await freePort();
  while (httpPort === dicomPort) httpPort = await freePort();
  const config = orthancConfig({ aet, dicomPort, httpPort, storageDir, plugin, options });
  await writeFile(path.join(configDir, 'orthanc.json'), JSON.stringify(config, null, 2));

  const baseUrl = `http://127.0.0.1:${httpPort}`;
  const service = spawnService({
    name: 'Orthanc',
    command: binary,
    args: [configDir],
    logFile: path.join(root, 'orthanc.log'),
    // DOMAIN.md: with Nagle on, C-STORE throughput drops 5x; Orthanc reads this variable.
    env: { TCP_NODELAY: '1' },
    cwd: root,
  });
  try {
    await waitUntilReady(service, () => systemAnswers(baseUrl), STARTUP_TIMEOUT_MS);
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  return {
    aet,
    dicomPort,
    httpPort,
    baseUrl,
    dicomWebUrl: `${baseUrl}/dicom-web`,
    storageDir,
    pid: service.pid,
    logFile: service.logFile,
    stop: async ({ graceMs = 5_000, keepFiles = false } = {}) => {
      await service.stop(graceMs);
      if (!keepFiles) await rm(root, { recursive: true, force: true });
    },
  };
}

async function systemAnswers(baseUrl: string): Promise<boolean> {
  const response = await fetch(`${baseUrl}/system`, { signal: AbortSignal.timeout(1_000) });
  await response.arrayBuffer();
  return response.ok;
}

function orthancConfig(input: {
  aet: string;
  dicomPort: number;
  httpPort: number;
  storageDir: string;
  plugin: string;
  options: OrthancOptions;
}): Record<string, unknown> {
  const modalities = Object.fromEntries(
    Object.entries(input.options.modalities ?? {}).map(([name, m]) => [
      name,
      // AllowStorageCommitment (Orthanc >= 1.6) is needed to send the N-EVENT-REPORT back.
      { AET: m.aet, Host: m.host, Port: m.port, AllowStorageCommitment: true },
    ]),
  );
  return {
    Name: `rig-${input.aet}`,
    StorageDirectory: input.storageDir,
    IndexDirectory: input.storageDir,
    Plugins: [input.plugin],
    DicomWeb: { Enable: true, Root: '/dicom-web/', EnableWado: true, WadoRoot: '/wado' },
    HttpServerEnabled: true,
    HttpPort: input.httpPort,
    // Orthanc cannot bind HTTP or DICOM to loopback only; with remote access off, HTTP refuses
    // anything but localhost, and the ports are random.
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    DicomServerEnabled: true,
    DicomAet: input.aet,
    DicomPort: input.dicomPort,
    DicomCheckCalledAet: false,
    DicomCheckModalityHost: false,
    DicomAlwaysAllowEcho: true,
    DicomAlwaysAllowStore: true,
    DicomModalities: modalities,
    DicomModalitiesInDatabase: false,
    // Every transfer syntax DCMTK knows, video included (PS3.5 8.2.7/8.2.8: MPEG-4 AVC .102-.106,
    // HEVC .107/.108; Orthanc >= 1.6 / 1.9 for the video groups).
    AcceptedTransferSyntaxes: ['1.2.840.10008.1.*'],
    DeflatedTransferSyntaxAccepted: true,
    JpegTransferSyntaxAccepted: true,
    Jpeg2000TransferSyntaxAccepted: true,
    JpegLosslessTransferSyntaxAccepted: true,
    JpipTransferSyntaxAccepted: true,
    Mpeg2TransferSyntaxAccepted: true,
    RleTransferSyntaxAccepted: true,
    Mpeg4TransferSyntaxAccepted: true,
    H265TransferSyntaxAccepted: true,
    UnknownSopClassAccepted: true,
    // Each instance is thrown away on stop(): no jobs to persist. WebDAV is unused, and its upload
    // thread delays shutdown by up to 2 s.
    SaveJobs: false,
    WebDavEnabled: false,
    ...input.options.extraConfig,
  };
}

/** The DICOMweb plugin shipped by Debian's orthanc-dicomweb (checked with `dpkg -L`). */
function findDicomWebPlugin(): string {
  const preferred = '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';
  if (existsSync(preferred)) return preferred;
  const libDir = '/usr/lib/orthanc';
  const found = existsSync(libDir)
    ? readdirSync(libDir).find((name) => name.startsWith('libOrthancDicomWeb.so'))
    : undefined;
  if (found === undefined) {
    throw new Error('orthanc-dicomweb is not installed: run `apt-get install -y orthanc-dicomweb`');
  }
  return path.join(libDir, found);
}
