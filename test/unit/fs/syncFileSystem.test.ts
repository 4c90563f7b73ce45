/**
 * syncFileSystem (core/fs/syncFileSystem.ts): syncfs(2) through coreutils `sync --file-system`,
 * one error naming the path when it cannot be done.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  canSyncFileSystem,
  FileSystemSyncError,
  syncFileSystem,
} from '../../../main/core/fs/syncFileSystem';

if (!canSyncFileSystem())
  console.log('syncFileSystem tests skipped: no coreutils `sync --file-system` (Linux only) here');

describe.runIf(canSyncFileSystem())('syncFileSystem', () => {
  it('syncs the file system holding a folder or a file', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'cs-syncfs-'));
    const file = join(folder, 'written.bin');
    await writeFile(file, Buffer.alloc(64 * 1024, 7));
    await expect(syncFileSystem(folder)).resolves.toBeUndefined();
    await expect(syncFileSystem(file)).resolves.toBeUndefined();
  });

  it('rejects with one error naming the path when there is nothing there to sync', async () => {
    const missing = join(tmpdir(), 'cs-syncfs-missing', 'nowhere');
    const failure = syncFileSystem(missing);
    await expect(failure).rejects.toBeInstanceOf(FileSystemSyncError);
    await expect(failure).rejects.toThrow(missing);
  });
});
