import { execFile } from 'node:child_process';
import { coreutilsProgram } from './coreutils';
import { SyncCoprocess, type SyncAnswer } from './SyncCoprocess';

/**
 * syncfs(2) of the file system that holds a path, which Node does not expose: coreutils
 * `sync --file-system` (≥ 8.24) calls it. One call writes back every dirty file of that file
 * system, waits, and flushes the device's cache once; Linux ≥ 5.8 reports writeback errors, and
 * `sync` then exits non-zero.
 *
 * For a group of new files that must all be durable before they are published, that is one
 * flush instead of one fdatasync per file, each waiting for its own device flush on one of the
 * four threads of Node's pool (bench/import: 128 fdatasyncs per group of 64 instances made the
 * outbox's admission the slowest stage of an import). It also writes back what other programs
 * left dirty on that file system, so it is meant for groups, not for a single file.
 */

/** coreutils `sync`, or null where syncfs is not available (not Linux, or not installed). */
const coreutilsSync = (): string | null => coreutilsProgram('sync');

/** Whether syncFileSystem can be used here; callers sync file by file otherwise. */
export function canSyncFileSystem(): boolean {
  return coreutilsSync() !== null;
}

export class FileSystemSyncError extends Error {
  override readonly name = 'FileSystemSyncError';
}

/**
 * Makes everything written to the file system holding `path` durable. Rejects with
 * FileSystemSyncError (naming the path and the reason) when `sync` fails or is not available:
 * then nothing may be assumed durable.
 */
export async function syncFileSystem(path: string): Promise<void> {
  const sync = coreutilsSync();
  if (sync === null) throw new FileSystemSyncError(`${path}: syncfs is not available here`);
  coprocess ??= new SyncCoprocess(sync);
  // The coprocess failing (not sync) is no verdict on the file system: ask sync directly.
  const answer = await coprocess.sync(path).catch(() => runSync(sync, path));
  if (!answer.ok)
    throw new FileSystemSyncError(`${path}: the file system could not be synced: ${answer.reason}`);
}

/** Shared by every caller in this process (one shell, however many spools). */
let coprocess: SyncCoprocess | undefined;

/** The coprocess of this process, if started (tests). */
export function syncCoprocess(): SyncCoprocess | undefined {
  return coprocess;
}

/** One `sync` run of its own: a fork of this whole process, kept for when the shell fails. */
function runSync(sync: string, path: string): Promise<SyncAnswer> {
  return new Promise((resolve) => {
    execFile(sync, ['--file-system', '--', path], (error, _stdout, stderr) => {
      resolve(error ? { ok: false, reason: stderr.trim() || error.message } : { ok: true });
    });
  });
}
