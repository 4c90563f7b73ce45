/**
 * Reads a byte range of a file through a small window, so element headers cost no syscall each
 * while large values are streamed in chunks and never held whole.
 */
import { ProtocolError } from './errors';
import { readAt } from './readOnlyFile';

const WINDOW = 64 * 1024;

export class BufferedFileReader {
  private window = Buffer.alloc(0);
  private windowStart: number;

  constructor(
    private readonly fd: number,
    start: number,
    readonly end: number,
  ) {
    this.windowStart = start;
  }

  /** File position of the next unread byte. */
  get position(): number {
    return this.windowStart;
  }

  get remaining(): number {
    return this.end - this.windowStart;
  }

  /** The next `length` bytes without consuming them; throws ProtocolError past the end. */
  async peek(length: number): Promise<Buffer> {
    if (length > this.remaining) throw new ProtocolError('data set ends inside an element');
    if (this.window.length < length) {
      const wanted = Math.min(Math.max(length, WINDOW), this.remaining);
      const fresh = Buffer.allocUnsafe(wanted);
      const have = this.window.length;
      this.window.copy(fresh, 0);
      await this.readFully(fresh, have, this.windowStart + have);
      this.window = fresh;
    }
    return this.window.subarray(0, length);
  }

  skip(length: number): void {
    if (length <= this.window.length) this.window = this.window.subarray(length);
    else this.window = Buffer.alloc(0);
    this.windowStart += length;
  }

  /** Yields the next `length` bytes in chunks of at most `chunkSize`, consuming them. */
  async *chunks(length: number, chunkSize: number): AsyncGenerator<Buffer> {
    let left = length;
    while (left > 0) {
      const size = Math.min(left, chunkSize);
      // Windows are never written after they are filled, so handing out a view is safe.
      const chunk = await this.peek(size);
      this.skip(size);
      left -= size;
      yield chunk;
    }
  }

  private async readFully(target: Buffer, offset: number, position: number): Promise<void> {
    let filled = offset;
    while (filled < target.length) {
      const bytesRead = await readAt(
        this.fd,
        target,
        filled,
        target.length - filled,
        position + filled - offset,
      );
      if (bytesRead === 0) throw new ProtocolError('file ended early');
      filled += bytesRead;
    }
  }
}
