import { accessSync, constants } from 'node:fs';

/**
 * A coreutils program the station calls for a system call Node does not expose (`cat` for
 * copy_file_range, `sync` for syncfs), by absolute path so no PATH entry can stand in for it.
 * Linux only: elsewhere, or when it is not installed, null and the caller does without.
 */
const found = new Map<string, string | null>();

export function coreutilsProgram(name: 'cat' | 'sync'): string | null {
  const known = found.get(name);
  if (known !== undefined) return known;
  let path: string | null = null;
  if (process.platform === 'linux')
    // Debian and usrmerge systems have both.
    for (const candidate of [`/usr/bin/${name}`, `/bin/${name}`]) {
      try {
        accessSync(candidate, constants.X_OK);
        path = candidate;
        break;
      } catch {
        // try the next one
      }
    }
  found.set(name, path);
  return path;
}
