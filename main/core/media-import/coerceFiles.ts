/**
 * The file operations a coercion makes (coerceInstance.ts), in two forms with one contract:
 * - `asyncFiles`: node:fs/promises, for the main thread, which must never block on a disc;
 * - `syncFiles`: the synchronous calls, for the import worker (mediaWorkerThread.ts), where blocking
 *   stops nothing else. Each asynchronous call is two thread wake-ups (to a libuv pool thread and
 *   back), six per coerced instance: on a loaded two-core station they cost more CPU than the
 *   copy itself (bench/import).
 * A method may answer directly or with a promise; coerceInstance awaits either.
 */
import { closeSync, openSync, readSync, rmSync, writevSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { assertRegularFile, openForReading, SOURCE_OPEN_FLAGS, type OpenFile } from './types';

type MaybePromise<T> = T | Promise<T>;

/** A file open for reading, as scanHeader.ts and the copy read it. */
export interface SourceFile {
  readonly fd: number;
  read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
  ): MaybePromise<{ bytesRead: number }>;
  close(): MaybePromise<void>;
}

/** A new file being written. */
export interface TargetFile {
  writev(buffers: Buffer[]): MaybePromise<{ bytesWritten: number }>;
  close(): MaybePromise<void>;
}

/** Opens a source that is already confined to the medium (the caller's contract). */
export type OpenSource = (path: string) => MaybePromise<SourceFile>;

export interface CoerceFiles {
  readonly openSource: OpenSource;
  /** Creates `path` for writing, owner-only; fails if it exists (never overwrites). */
  createTarget(path: string): MaybePromise<TargetFile>;
  /** Removes `path` if it exists. */
  remove(path: string): MaybePromise<void>;
}

export function asyncFiles(openFile: OpenFile = openForReading): CoerceFiles {
  return {
    openSource: openFile,
    createTarget: (path) => open(path, 'wx', 0o600),
    remove: (path) => rm(path, { force: true }),
  };
}

export const syncFiles: CoerceFiles = {
  openSource: (path) => {
    const fd = openSync(path, SOURCE_OPEN_FLAGS);
    try {
      assertRegularFile(fd);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    return syncFile(fd);
  },
  createTarget: (path) => syncFile(openSync(path, 'wx', 0o600)),
  remove: (path) => rmSync(path, { force: true }),
};

function syncFile(fd: number): SourceFile & TargetFile {
  return {
    fd,
    read: (buffer, offset, length, position) => ({
      bytesRead: readSync(fd, buffer, offset, length, position),
    }),
    writev: (buffers) => ({ bytesWritten: writevSync(fd, buffers) }),
    close: () => closeSync(fd),
  };
}
