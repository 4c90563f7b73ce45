/**
 * Streams bytes [start, end) of a file as the data set PDVs of one message (PS3.8 9.3.5, E.2)
 * with as little work per PDU as possible: each block buffer holds several complete P-DATA-TF
 * PDUs, the PDU and PDV headers are written in place and the file is read straight into the gaps
 * between them with one readv, then the whole block goes to the socket in one write. Blocks come
 * from a small per-association pool and go back only once the socket has flushed them: memory is
 * flat and garbage-free whatever the file size.
 *
 * The first block can be read ahead (`prepareFileRange`) while the previous message drains and
 * waits for its response, so the next C-STORE starts with a single write when the response
 * arrives.
 */
import type { Association } from './Association';
import { ProtocolError } from './errors';
import { PDU_HEADER_LENGTH, PDV_HEADER_LENGTH, writePDataHeader } from './pdu';
import { readvAt } from './readOnlyFile';

/**
 * Roughly how many data bytes one block carries (a whole number of PDVs). 1 MiB reads a typical
 * image in one readv and writes it in one system call; three blocks per association stay small.
 */
const BLOCK_DATA_BYTES = 1024 * 1024;
/** At most this many PDVs per readv: IOV_MAX is 1024 on Linux. */
const MAX_SLICES = 512;
/**
 * One block being written, one being filled, and one for the read-ahead of the next message
 * (prepareFileRange). Blocks come back only as the socket flushes them, so an acquire waits for
 * the socket and never for another message: no deadlock, and memory stays at three blocks.
 */
const BLOCKS_PER_POOL = 3;
const FRAME_HEADER = PDU_HEADER_LENGTH + PDV_HEADER_LENGTH;

/** Fixed-size buffers handed out one at a time; an acquire waits until one is released. */
class BlockPool {
  private readonly free: Buffer[] = [];
  private readonly waiting: ((block: Buffer) => void)[] = [];
  private created = 0;

  constructor(
    readonly pdvData: number,
    readonly pdusPerBlock: number,
  ) {}

  acquire(): Promise<Buffer> {
    const block = this.free.pop();
    if (block) return Promise.resolve(block);
    if (this.created < BLOCKS_PER_POOL) {
      this.created++;
      return Promise.resolve(Buffer.allocUnsafe(this.pdusPerBlock * (FRAME_HEADER + this.pdvData)));
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(block: Buffer): void {
    const waiter = this.waiting.shift();
    if (waiter) waiter(block);
    else this.free.push(block);
  }
}

/** Pools live with their association (WeakMap): sending 500 images allocates three blocks once. */
const pools = new WeakMap<Association, BlockPool>();

function poolFor(association: Association): BlockPool {
  const pdvData = association.maxPdvDataLength;
  let pool = pools.get(association);
  if (pool?.pdvData !== pdvData) {
    const pdusPerBlock = Math.min(MAX_SLICES, Math.max(1, Math.floor(BLOCK_DATA_BYTES / pdvData)));
    pool = new BlockPool(pdvData, pdusPerBlock);
    pools.set(association, pool);
  }
  return pool;
}

/** A block holding complete PDUs, ready to write; `block` goes back to the pool once flushed. */
interface Framed {
  readonly block: Buffer;
  readonly bytes: Buffer;
  readonly dataLength: number;
}

/** A file range whose first block is being read; send it with streamPreparedRange or abandon it. */
export interface PreparedRange {
  readonly contextId: number;
  /** Read-only descriptor; its owner closes it once streamPreparedRange settles. */
  readonly fd: number;
  readonly start: number;
  readonly end: number;
  readonly pool: BlockPool;
  readonly first: Promise<Framed>;
}

/**
 * Starts reading the first block of [start, end) into a pool block. Read errors (a file that
 * shrank) surface from streamPreparedRange, before anything is written.
 */
export function prepareFileRange(
  association: Association,
  contextId: number,
  fd: number,
  start: number,
  end: number,
): PreparedRange {
  const pool = poolFor(association);
  const first = fill(pool, contextId, fd, start, end);
  // Abandoned or failed before sending: the rejection is read later or not at all.
  first.catch(() => undefined);
  return { contextId, fd, start, end, pool, first };
}

/** Gives an unsent range's block back to the pool once its read has settled. */
export function abandonRange(range: PreparedRange): void {
  range.first.then(
    (framed) => range.pool.release(framed.block),
    () => undefined,
  );
}

/**
 * Sends the prepared range: the first block (after `prefix`, the message's command PDUs, in the
 * same write), then the rest, each block read while the previous one is being written. Honours
 * write()/'drain' back-pressure. Throws ProtocolError when the file is shorter than announced.
 * Settles only once no read of the range is in flight, so the caller may close the descriptor.
 * `onLastQueued` runs once the last block is handed to the socket, before it has drained.
 */
export async function streamPreparedRange(
  association: Association,
  range: PreparedRange,
  prefix?: Buffer,
  onLastQueued?: () => void,
): Promise<void> {
  const { pool, contextId, fd, end } = range;
  let position = range.start;
  let next = range.first;
  let head = prefix;
  for (;;) {
    const framed = await next;
    position += framed.dataLength;
    const more = position < end;
    if (more) {
      next = fill(pool, contextId, fd, position, end);
      next.catch(() => undefined);
    }
    try {
      const written = association.writeFramedPdus(
        framed.bytes,
        () => pool.release(framed.block),
        head,
      );
      // The whole data set is queued: the caller may start reading ahead while it drains.
      if (!more) onLastQueued?.();
      await written;
    } catch (error) {
      // The owner closes the descriptor when we return: no read may still be using it.
      if (more)
        await next.then(
          (ahead) => pool.release(ahead.block),
          () => undefined,
        );
      throw error;
    }
    head = undefined;
    if (!more) return;
  }
}

/** Frames and fills one pool block with the PDUs for file bytes from `position` on. */
async function fill(
  pool: BlockPool,
  contextId: number,
  fd: number,
  position: number,
  end: number,
): Promise<Framed> {
  const block = await pool.acquire();
  try {
    const slices: Buffer[] = [];
    let offset = 0;
    let dataLength = 0;
    // An empty data set is still one (empty) PDV flagged last (PS3.8 E.2).
    do {
      const length = Math.min(pool.pdvData, end - position - dataLength);
      const isLast = position + dataLength + length >= end;
      writePDataHeader(block, offset, contextId, false, isLast, length);
      slices.push(block.subarray(offset + FRAME_HEADER, offset + FRAME_HEADER + length));
      offset += FRAME_HEADER + length;
      dataLength += length;
    } while (slices.length < pool.pdusPerBlock && position + dataLength < end);
    const bytesRead = dataLength === 0 ? 0 : await readvAt(fd, slices, position);
    if (bytesRead !== dataLength) {
      throw new ProtocolError(
        `${dataLength - bytesRead} bytes missing: the file shrank while being sent`,
      );
    }
    return { block, bytes: block.subarray(0, offset), dataLength };
  } catch (error) {
    pool.release(block);
    throw error;
  }
}
