import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/**
 * Directories searched after PATH: Debian installs Orthanc in /usr/sbin, which is not on the PATH of
 * an ordinary user shell or of CI runners.
 */
const EXTRA_DIRS = ['/usr/sbin', '/usr/local/sbin', '/sbin'];

/** Absolute path of `binary`, or undefined when it is not installed (not found or not executable). */
export function findTool(binary: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), ...EXTRA_DIRS];
  for (const dir of dirs) {
    if (dir === '') continue;
    const candidate = path.join(dir, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here: keep looking
    }
  }
  return undefined;
}

/** Throws "X is not installed: run `apt-get install -y PKG`" when the binary is missing. */
export function requireTool(binary: string, debianPackage: string): void {
  resolveTool(binary, debianPackage);
}

/** Like requireTool, and returns the absolute path so callers do not depend on PATH. */
export function resolveTool(binary: string, debianPackage: string): string {
  const found = findTool(binary);
  if (found === undefined) {
    throw new Error(`${binary} is not installed: run \`apt-get install -y ${debianPackage}\``);
  }
  return found;
}

/** The Debian package that ships each tool tests run, for requireTool's message. */
export const TOOL_PACKAGES = {
  Orthanc: 'orthanc',
  storescp: 'dcmtk',
  storescu: 'dcmtk',
  wlmscpfs: 'dcmtk',
  echoscu: 'dcmtk',
  findscu: 'dcmtk',
  movescu: 'dcmtk',
  getscu: 'dcmtk',
  dcmsend: 'dcmtk',
  dcmrecv: 'dcmtk',
  dump2dcm: 'dcmtk',
  dcmdump: 'dcmtk',
  dcmodify: 'dcmtk',
  dcmconv: 'dcmtk',
  img2dcm: 'dcmtk',
  pdf2dcm: 'dcmtk',
  dcm2pdf: 'dcmtk',
  dcm2json: 'dcmtk',
  dcm2xml: 'dcmtk',
  dcmmkdir: 'dcmtk',
  dcmj2pnm: 'dcmtk',
  dcmcjpeg: 'dcmtk',
  dcmdjpeg: 'dcmtk',
  dcmftest: 'dcmtk',
  dciodvfy: 'dicom3tools',
  dcdump: 'dicom3tools',
  dcentvfy: 'dicom3tools',
  ffmpeg: 'ffmpeg',
  ffprobe: 'ffmpeg',
} as const;

export type KnownTool = keyof typeof TOOL_PACKAGES;

/** The package to name when `tool` is missing: from TOOL_PACKAGES, else the tool's own name. */
export function debianPackageOf(tool: string): string {
  return (TOOL_PACKAGES as Record<string, string | undefined>)[tool] ?? tool;
}

export interface ToolResult {
  readonly code: number;
  /** stdout and stderr as raw bytes: DICOM text may be UTF-8 or Latin-1, the caller decodes it. */
  readonly stdout: Buffer;
  readonly stderr: Buffer;
}

/**
 * Runs a tool to completion and resolves with its exit code and output; never rejects on a
 * non-zero exit (callers decide what failure means). Rejects when the tool is missing (message as
 * requireTool's, naming `debianPackage`, by default from TOOL_PACKAGES), cannot be started, or
 * runs longer than `timeoutMs` (default 30 s).
 */
export function runTool(
  // `string & {}` keeps editor completion for the known tools while accepting any other.
  tool: KnownTool | (string & {}),
  args: readonly string[],
  options: { timeoutMs?: number; cwd?: string; debianPackage?: string } = {},
): Promise<ToolResult> {
  const file = resolveTool(tool, options.debianPackage ?? debianPackageOf(tool));
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        encoding: 'buffer',
        timeout: options.timeoutMs ?? 30_000,
        killSignal: 'SIGKILL',
        maxBuffer: 64 * 1024 * 1024,
        cwd: options.cwd,
      },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') {
          const reason = error.killed ? `timed out after ${options.timeoutMs ?? 30_000} ms` : '';
          reject(new Error(`${tool} ${args.join(' ')} failed: ${reason || error.message}`));
          return;
        }
        resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
      },
    );
  });
}

/** stdout then stderr of a tool run, decoded as UTF-8, for messages and assertions. */
export function outputText(result: ToolResult): string {
  return result.stdout.toString('utf8') + result.stderr.toString('utf8');
}
