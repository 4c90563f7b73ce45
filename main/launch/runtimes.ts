import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export type ElectronLookup = { found: true; path: string } | { found: false; reason: string };

/**
 * Where the Electron binary is, without triggering its download: the electron package writes
 * `path.txt` and `dist/` only once the binary has been fetched (ELECTRON_OVERRIDE_DIST_PATH wins).
 */
export function findElectronBinary(
  projectRoot: string,
  env: NodeJS.ProcessEnv = process.env,
): ElectronLookup {
  const packageDir = join(projectRoot, 'node_modules', 'electron');
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const path = join(env.ELECTRON_OVERRIDE_DIST_PATH, relative ?? 'electron');
    return existsSync(path)
      ? { found: true, path }
      : { found: false, reason: `no Electron binary at ${path}` };
  }
  if (!existsSync(packageDir))
    return { found: false, reason: 'the electron package is not installed' };
  if (!relative)
    return {
      found: false,
      reason: 'its binary was never downloaded, and the download is blocked here',
    };
  const path = join(packageDir, 'dist', relative);
  return existsSync(path)
    ? { found: true, path }
    : { found: false, reason: `its binary is missing from ${path}` };
}

const BROWSERS = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** First Chromium-family browser on PATH, or undefined. */
export function findBrowser(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of BROWSERS) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}
