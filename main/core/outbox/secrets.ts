/**
 * Secrets (STOW-RS passwords, tokens, OAuth2 client secrets) are named in the configuration and
 * resolved here, never stored in it (issue 7, item 7). The app injects a source backed by Electron
 * safeStorage; the CLI uses files in `<dataFolder>/secrets/` that only the user may read.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface SecretSource {
  /** The secret's value; rejects with a message naming the secret (never its value). */
  get(name: string): Promise<string>;
}

/** `<folder>/<name>`, refused unless mode is 0600 or stricter (no group or other access). */
export function fileSecretSource(folder: string): SecretSource {
  return {
    async get(name) {
      if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name) || name.startsWith('.'))
        throw new Error(`secret name "${name}" is not valid`);
      const file = join(folder, name);
      const info = await stat(file).catch(() => undefined);
      if (!info) throw new Error(`secret "${name}" not found in ${folder}`);
      if (process.platform !== 'win32' && (info.mode & 0o077) !== 0)
        throw new Error(`secret file ${file} is readable by others; run chmod 600 on it`);
      return (await readFile(file, 'utf8')).trim();
    },
  };
}
