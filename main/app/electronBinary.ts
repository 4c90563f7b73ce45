/**
 * Finding the Electron executable without ever starting its download. Electron-free: used by the
 * `_electron` end-to-end spec and usable by the launcher (`npm start`) to choose browser mode.
 *
 * Why not `require('electron')`: in plain Node that module downloads the binary when it is
 * missing and throws when the download fails, which is always the case on a machine without
 * internet. This mirrors its lookup (node_modules/electron/index.js) minus the download.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface ElectronBinaryOptions {
  /** The electron package folder; default: the one Node resolves from here. */
  readonly packageDir?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * The executable's absolute path when it exists on disk, else undefined (never downloads, never
 * throws): `$ELECTRON_OVERRIDE_DIST_PATH/<path.txt or 'electron'>` when that variable is set,
 * otherwise `<package>/dist/<path.txt>`; no path.txt means the binary was never installed.
 */
export function findElectronBinary(options: ElectronBinaryOptions = {}): string | undefined {
  const packageDir = options.packageDir ?? defaultPackageDir();
  if (packageDir === undefined) return undefined;
  const env = options.env ?? process.env;
  const relative = readPathFile(join(packageDir, 'path.txt'));
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  let candidate: string | undefined;
  if (override) candidate = join(override, relative ?? 'electron');
  else if (relative) candidate = join(packageDir, 'dist', relative);
  return candidate !== undefined && existsSync(candidate) ? candidate : undefined;
}

function readPathFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function defaultPackageDir(): string | undefined {
  try {
    // Resolving package.json only locates the package; it does not run electron/index.js.
    return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
}
