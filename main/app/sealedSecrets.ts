/**
 * Secrets in the app (issue 7, item 7): sealed with Electron safeStorage (the OS keychain: DPAPI,
 * Keychain, libsecret/kwallet) into `<data folder>/secrets/<name>.sealed`, so no password sits in
 * plain text on the station. A name with no sealed file falls back to the CLI's 0600 file.
 */
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileSecretSource, type SecretSource } from '../core/outbox/secrets';

/** The part of Electron's safeStorage used here (injected, so tests need no Electron). */
export interface SafeStorage {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

const SECRET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}$/;

function sealedFile(folder: string, name: string): string {
  if (!SECRET_NAME.test(name)) throw new Error(`secret name "${name}" is not valid`);
  return join(folder, `${name}.sealed`);
}

export function sealedSecretSource(safeStorage: SafeStorage, folder: string): SecretSource {
  const files = fileSecretSource(folder);
  return {
    async get(name) {
      const sealed = await readFile(sealedFile(folder, name)).catch(() => undefined);
      if (!sealed) return files.get(name);
      if (!safeStorage.isEncryptionAvailable()) {
        throw new Error(`secret "${name}" is sealed, but this system's keychain is not available`);
      }
      return safeStorage.decryptString(sealed);
    },
  };
}

/**
 * Seals `value` as secret `name` (temp file, 0600, rename). Refuses when the OS keychain is not
 * available rather than writing the secret in the clear.
 */
export async function sealSecret(
  safeStorage: SafeStorage,
  folder: string,
  name: string,
  value: string,
): Promise<string> {
  const file = sealedFile(folder, name);
  if (!value) throw new Error(`secret "${name}" is empty`);
  if (!safeStorage.isEncryptionAvailable()) {
    throw new Error('the OS keychain is not available: the secret was not stored');
  }
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const temp = `${file}.tmp`;
  await writeFile(temp, safeStorage.encryptString(value), { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, file);
  return file;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/**
 * `capture-station-app --seal-secret NAME` (IT, once per secret): reads the value from standard
 * input and seals it; the window never opens. True when the flag was given and handled.
 */
export function sealSecretFromCommandLine(
  argv: readonly string[],
  app: { whenReady(): Promise<unknown>; exit(code: number): void },
  safeStorage: SafeStorage,
  folder: string,
): boolean {
  const index = argv.indexOf('--seal-secret');
  if (index < 0) return false;
  const name = argv[index + 1] ?? '';
  void app
    .whenReady()
    .then(async () => {
      const file = await sealSecret(safeStorage, folder, name, await readStdin());
      console.log(`sealed secret "${name}" in ${file}`);
      app.exit(0);
    })
    .catch((error: unknown) => {
      console.error(`capture-station: ${error instanceof Error ? error.message : String(error)}`);
      app.exit(1);
    });
  return true;
}
