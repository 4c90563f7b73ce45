/**
 * Writes that survive kill -9 and power loss: data goes to a temporary name in the same folder,
 * is fsynced, renamed over the final name (atomic: POSIX rename(2)), and the folder is
 * fsynced so the rename itself is on disk. Readers see the old file or the new one, never a part.
 */
import { constants } from 'node:fs';
import { copyFile, open, rename, rm, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Temporary names start with this; recovery removes any it finds. */
export const TEMP_PREFIX = '.tmp-';

export function temporaryNameFor(finalPath: string): string {
  return join(
    dirname(finalPath),
    `${TEMP_PREFIX}${randomBytes(6).toString('hex')}-${basename(finalPath)}`,
  );
}

/**
 * fsync a folder so a rename or unlink in it is durable. Windows cannot open a folder for
 * flushing; NTFS journals the rename itself, so there is nothing to do there.
 */
export async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(folder, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** fsync a file's data and metadata (a file written without it is not yet durable). */
export async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * fdatasync a file: its data and the size reading it back needs (POSIX), not its timestamps.
 * Enough before a rename that publishes it; cheaper than fsync when many run at once.
 */
export async function datasyncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/** Writes `data` to a new file at `path` and fdatasyncs it; no rename, no folder sync. */
export async function writeSynced(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'wx', 0o600);
  try {
    await handle.writeFile(data);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/** Copies `source` to the new file `target` and fdatasyncs it; no rename, no folder sync. */
export async function copySynced(source: string, target: string): Promise<void> {
  await copyFile(source, target, constants.COPYFILE_EXCL);
  await datasyncFile(target);
}

interface FolderSyncState {
  running?: Promise<void>;
  next?: Promise<void>;
}
const folderSyncs = new Map<string, FolderSyncState>();

/**
 * fsync of a folder shared by concurrent callers (group commit): a caller joins the next sync that
 * starts after its own rename, so every rename is durable when its promise resolves, and 64 job
 * updates cost a few folder fsyncs instead of 64.
 */
export function syncFolderCoalesced(folder: string): Promise<void> {
  let state = folderSyncs.get(folder);
  if (!state) {
    state = {};
    folderSyncs.set(folder, state);
  }
  const current = state;
  if (!current.running) {
    current.running = syncFolder(folder).finally(() => {
      current.running = undefined;
    });
    return current.running;
  }
  current.next ??= current.running
    .catch(() => undefined)
    .then(() => {
      current.next = undefined;
      return syncFolderCoalesced(folder);
    });
  return current.next;
}

/** Replaces `path` with `data` atomically and durably. Rejects (leaving the old file) on failure. */
export async function writeFileDurably(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = temporaryNameFor(path);
  try {
    const handle = await open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(data);
      // fdatasync: the data and the size that reading it back needs (POSIX); the rename and the
      // folder fsync below make the name durable.
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await renameReplacing(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncFolderCoalesced(dirname(path));
}

/**
 * Copies `source` to `target` durably (copy to a temporary name, fsync, rename, fsync folder).
 * The source is untouched. Uses copy_file_range/reflink where the OS offers it.
 */
export async function copyFileDurably(source: string, target: string): Promise<void> {
  const temporary = temporaryNameFor(target);
  try {
    await copyFile(source, temporary);
    await syncFile(temporary);
    await renameReplacing(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncFolder(dirname(target));
}

/**
 * Moves `source` to `target` durably. Same file system: fsync the data, rename, fsync both
 * folders — at every instant the file exists under one of the two names. Across file systems:
 * durable copy, then unlink the source. `sourceSynced`: the caller has fsynced the source's data
 * already (each fsync is a device flush, ~4 ms on the bench disk), so it is not done again.
 */
export async function moveFileDurably(
  source: string,
  target: string,
  options: { sourceSynced?: boolean } = {},
): Promise<void> {
  if (!options.sourceSynced) await syncFile(source);
  try {
    await rename(source, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await copyFileDurably(source, target);
    await unlink(source);
    await syncFolder(dirname(source));
    return;
  }
  // Both folders at once: the two flushes overlap (one journal commit on ext4) instead of queueing.
  await Promise.all([syncFolderCoalesced(dirname(target)), syncFolder(dirname(source))]);
}

/** Removes a file durably; a file already gone is fine. */
export async function removeFileDurably(path: string): Promise<void> {
  await rm(path, { force: true });
  await syncFolder(dirname(path));
}

/**
 * rename(2) over an existing file. On Windows the replace fails with EPERM/EBUSY/EACCES while
 * another process (e.g. `queue status` reading a job) has the target open: try again briefly.
 */
export async function renameReplacing(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      const busy = process.platform === 'win32' && ['EPERM', 'EBUSY', 'EACCES'].includes(code);
      if (!busy || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}
