/**
 * Read-only file access for the C-STORE hot path with as few threadpool round trips as possible.
 * Each asynchronous fs call costs two thread wake-ups (libuv worker and back), which profiling
 * showed to be a large part of the sender's per-image cost on a loaded two-core machine. So
 * open and read stay asynchronous (they may wait for a disk), while fstat and close of a file we
 * hold open read-only are done synchronously: they touch only the in-memory inode, never the disk
 * (close of a file we never wrote has nothing to flush).
 *
 * The caller owns the descriptor: close it once, and only when no read on it is in flight.
 */
import fs from 'node:fs';
import { promisify } from 'node:util';

const openAsync = promisify(fs.open);
const readAsync = promisify(fs.read);
const readvAsync = promisify(fs.readv);

/** Opens `path` for reading; rejects with the fs error (ENOENT, EACCES…). */
export const openForReading = (path: string): Promise<number> => openAsync(path, 'r');

/** Size in bytes of the open file. */
export const sizeOf = (fd: number): number => fs.fstatSync(fd).size;

/** Reads up to `length` bytes at `position` into `target` from `offset`; resolves bytes read. */
export async function readAt(
  fd: number,
  target: Buffer,
  offset: number,
  length: number,
  position: number,
): Promise<number> {
  return (await readAsync(fd, target, offset, length, position)).bytesRead;
}

/** Fills `slices` in order from `position` with one readv; resolves bytes read. */
export async function readvAt(fd: number, slices: Buffer[], position: number): Promise<number> {
  return (await readvAsync(fd, slices, position)).bytesRead;
}

/** Closes a read-only descriptor; an error cannot lose data, so it is ignored. */
export function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // EBADF/EIO on a read-only descriptor: nothing was written, nothing to report.
  }
}
