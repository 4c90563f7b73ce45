import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  FolderListingError,
  isSystemFolder,
  listFolders,
} from '../../../main/core/media-import/listFolders';

const base = mkdtempSync(join(tmpdir(), 'list-folders-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('listFolders (the import screen folder browser)', () => {
  it('lists visible subfolders and links to folders, sorted as read, without files', async () => {
    for (const name of ['disc 10', 'disc 2', 'Archive', '.hidden']) mkdirSync(join(base, name));
    writeFileSync(join(base, 'README.TXT'), 'not a folder');
    symlinkSync(join(base, 'Archive'), join(base, 'linked'));
    symlinkSync(join(base, 'README.TXT'), join(base, 'file-link'));
    const listing = await listFolders(base);
    expect(listing.folders).toEqual(['Archive', 'disc 2', 'disc 10', 'linked']);
    expect(listing.path).toBe(base);
    expect(listing.parent).toBe(dirname(base));
    expect(listing.truncated).toBe(false);
  });

  it('has no parent at the root of the file system', async () => {
    expect((await listFolders('/')).parent).toBeUndefined();
  });

  it('names the path and the reason for a missing folder, a file, or a system folder', async () => {
    await expect(listFolders(join(base, 'gone'))).rejects.toThrow(
      new FolderListingError(`${join(base, 'gone')}: no such folder`),
    );
    await expect(listFolders(join(base, 'README.TXT'))).rejects.toThrow(
      /README\.TXT: not a folder/,
    );
    await expect(listFolders('/proc')).rejects.toThrow('/proc: a system folder, not a disc');
    expect(isSystemFolder('/sys/class')).toBe(true);
    expect(isSystemFolder('/system-disc')).toBe(false);
  });
});
