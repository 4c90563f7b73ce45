import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sealSecret, sealedSecretSource, type SafeStorage } from '../../../main/app/sealedSecrets';

/** A stand-in keychain: reversible, and visibly not the plain text. */
const keychain: SafeStorage = {
  isEncryptionAvailable: () => true,
  encryptString: (text) => Buffer.from([...Buffer.from(text)].map((b) => b ^ 0x5a)),
  decryptString: (data) => Buffer.from([...data].map((b) => b ^ 0x5a)).toString(),
};

describe('sealed secrets', () => {
  it('stores a secret sealed, 0600, never in the clear, and reads it back', async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'cs-secrets-')), 'secrets');
    const file = await sealSecret(keychain, folder, 'vna-password', 'hunter2');
    expect(readFileSync(file).toString()).not.toContain('hunter2');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await sealedSecretSource(keychain, folder).get('vna-password')).toBe('hunter2');
  });

  it('falls back to a 0600 file, and refuses to store without a keychain', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'cs-secrets-'));
    writeFileSync(join(folder, 'token'), 'abc\n', { mode: 0o600 });
    expect(await sealedSecretSource(keychain, folder).get('token')).toBe('abc');
    const noKeychain = { ...keychain, isEncryptionAvailable: () => false };
    await expect(sealSecret(noKeychain, folder, 'x', 'v')).rejects.toThrow(
      /keychain is not available/,
    );
    await expect(sealSecret(keychain, folder, '../escape', 'v')).rejects.toThrow(/not valid/);
  });
});
