/**
 * Streams bytes [start, end) of a file as the data set PDVs of one message (PS3.8 9.3.5, E.2)
 * with as little work per PDU as possible: each block buffer holds several complete P-DATA-TF
 * PDUs, the PDU and PDV headers are written in place and the file is read straight into the gaps
 * between them with one readv, then the whole block goes to the socket in one write. Two block
 * buffers are reused (one read while the other is written) and refilled only after the socket has
 * flushed them: memory is flat and garbage-free whatever the file size.
 */
import type { FileHandle } from 'node:fs/promises';
import type { Association } from './Association';
import { ProtocolError } from './errors';
import { PDU_HEADER_LENGTH, PDV_HEADER_LENGTH, writePDataHeader } from './pdu';

/** Roughly how many data bytes one block carries (a whole number of PDVs). */
const BLOCK_DATA_BYTES = 256 * 1024;
const FRAME_HEADER = PDU_HEADER_LENGTH + PDV_HEADER_LENGTH;

interface Block {
  readonly buffer: Buffer;
  /** Resolves once the socket has flushed the block's last write. */
  released: Promise<void>;
}

interface Framed {
  readonly bytes: Buffer;
  readonly dataLength: number;
}

/**
 * The two block buffers of an association, kept between messages so sending 500 images allocates
 * them once (WeakMap: they go with the association). Small messages get small private blocks.
 */
const pools = new WeakMap<Association, Block[]>();

function blocksFor(association: Association, fullSize: number, neededSize: number): Block[] {
  const makeBlocks = (size: number): Block[] =>
    [0, 1].map(() => ({ buffer: Buffer.allocUnsafe(size), released: Promise.resolve() }));
  if (neededSize < fullSize) return makeBlocks(neededSize);
  let pool = pools.get(association);
  if (pool?.[0]?.buffer.length !== fullSize) {
    pool = makeBlocks(fullSize);
    pools.set(association, pool);
  }
  return pool;
}

export async function streamFileRange(
  association: Association,
  contextId: number,
  handle: FileHandle,
  start: number,
  end: number,
): Promise<void> {
  const pdvData = association.maxPdvDataLength;
  // At most 512 slices per readv: IOV_MAX is 1024 on Linux.
  const pdusPerBlock = Math.min(512, Math.max(1, Math.floor(BLOCK_DATA_BYTES / pdvData)));
  const frameSize = FRAME_HEADER + pdvData;
  const blocks = blocksFor(
    association,
    pdusPerBlock * frameSize,
    Math.max(end - start, 0) + FRAME_HEADER * pdusPerBlock,
  );

  /** Frames and fills one block with the PDUs for file bytes from `position` on. */
  const fill = async (block: Block, position: number): Promise<Framed> => {
    await block.released;
    const slices: Buffer[] = [];
    let offset = 0;
    let dataLength = 0;
    for (let i = 0; i < pdusPerBlock && position + dataLength < end; i++) {
      const length = Math.min(pdvData, end - position - dataLength);
      const isLast = position + dataLength + length >= end;
      writePDataHeader(block.buffer, offset, contextId, false, isLast, length);
      slices.push(block.buffer.subarray(offset + FRAME_HEADER, offset + FRAME_HEADER + length));
      offset += FRAME_HEADER + length;
      dataLength += length;
    }
    const { bytesRead } = await handle.readv(slices, position);
    if (bytesRead !== dataLength) {
      throw new ProtocolError(
        `${dataLength - bytesRead} bytes missing: the file shrank while being sent`,
      );
    }
    return { bytes: block.buffer.subarray(0, offset), dataLength };
  };

  if (start >= end) {
    await association.writePdv(contextId, false, true, Buffer.alloc(0));
    return;
  }
  let position = start;
  let turn = 0;
  let next = fill(blocks[0] as Block, position);
  // If sending fails first, the read in flight must not become an unhandled rejection.
  next.catch(() => undefined);
  while (position < end) {
    const block = blocks[turn % 2] as Block;
    const framed = await next;
    position += framed.dataLength;
    let release = () => {};
    block.released = new Promise<void>((resolve) => (release = resolve));
    if (position < end) {
      next = fill(blocks[++turn % 2] as Block, position);
      next.catch(() => undefined);
    }
    await association.writeFramedPdus(framed.bytes, release);
  }
}
