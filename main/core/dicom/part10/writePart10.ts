import { randomBytes } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { COPY_CHUNK_BYTES, SourceEndedEarlyError, copyRange } from './copyRange';
import { syncFolder } from '../../fs/durableFiles';
import { EarlyWriteback } from '../../fs/EarlyWriteback';
import {
  BulkTag,
  MAX_FRAGMENT_BYTES,
  encapsulatedDocumentHeader,
  encapsulatedPixelDataHeader,
  itemHeader,
  paddingFor,
  sequenceDelimiter,
} from './encapsulation';
import { encodeHeader, type HeaderInput } from './header';

/** A run of bytes in a file on disk. */
export interface ByteRange {
  readonly file: string;
  readonly start: number;
  readonly length: number;
}

/**
 * The bulk element, streamed from disk:
 * - `encapsulated`: Pixel Data (7FE0,0010) of an encapsulated transfer syntax (PS3.5 A.4), an empty
 *   Basic Offset Table, then one Item per fragment (one per JPEG frame; the MP4 stream for video);
 * - `document`: Encapsulated Document (0042,0011), OB with a defined length (PS3.3 C.24.2).
 */
export type BulkContent =
  | { readonly kind: 'encapsulated'; readonly fragments: readonly ByteRange[] }
  | { readonly kind: 'document'; readonly range: ByteRange };

export interface InstancePlan extends HeaderInput {
  readonly bulk: BulkContent;
}

export interface WriteOptions {
  readonly signal?: AbortSignal;
  /** Fraction 0..1 of the bulk bytes written. */
  readonly onProgress?: (fraction: number) => void;
}

export interface WrittenInstance {
  readonly path: string;
  readonly bytes: number;
}

/** Null byte: the padding of OB values (PS3.5 7.1.1; a trailing 0x00 is ignored after JPEG EOI). */
const PAD = Buffer.alloc(1);

function bulkTagOf(bulk: BulkContent): BulkTag {
  return bulk.kind === 'encapsulated' ? BulkTag.PixelData : BulkTag.EncapsulatedDocument;
}

function rangesOf(bulk: BulkContent): readonly ByteRange[] {
  return bulk.kind === 'encapsulated' ? bulk.fragments : [bulk.range];
}

function checkRanges(ranges: readonly ByteRange[]): void {
  for (const range of ranges) {
    if (range.length + paddingFor(range.length) > MAX_FRAGMENT_BYTES) {
      throw new RangeError(`${range.file}: a fragment of ${range.length} bytes exceeds 2^32-2`);
    }
  }
}

async function writeBuffer(dst: FileHandle, buffer: Buffer): Promise<void> {
  let offset = 0;
  while (offset < buffer.length) {
    offset += (await dst.write(buffer, offset)).bytesWritten;
  }
}

async function writeBulk(
  dst: FileHandle,
  bulk: BulkContent,
  options: WriteOptions,
  writeback: EarlyWriteback,
) {
  const ranges = rangesOf(bulk);
  const total = ranges.reduce((sum, r) => sum + r.length, 0);
  let done = 0;
  const buffers: [Buffer, Buffer] = [
    Buffer.allocUnsafe(COPY_CHUNK_BYTES),
    Buffer.allocUnsafe(COPY_CHUNK_BYTES),
  ];
  const onBytes = (bytes: number) => {
    done += bytes;
    writeback.wrote(bytes);
    options.onProgress?.(total === 0 ? 1 : done / total);
  };
  if (bulk.kind === 'encapsulated') {
    await writeBuffer(dst, Buffer.concat([encapsulatedPixelDataHeader(), itemHeader(0)]));
  }
  for (const range of ranges) {
    const padded = range.length + paddingFor(range.length);
    await writeBuffer(
      dst,
      bulk.kind === 'encapsulated' ? itemHeader(padded) : encapsulatedDocumentHeader(padded),
    );
    const src = await open(range.file, 'r');
    try {
      await copyRange(src, dst, range.start, range.length, {
        buffers,
        onBytes,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      // The source changed after it was checked (truncated by another process): name it.
      if (error instanceof SourceEndedEarlyError) {
        throw new SourceEndedEarlyError(`${range.file}: ${error.message}`, { cause: error });
      }
      throw error;
    } finally {
      await src.close();
    }
    if (padded !== range.length) await writeBuffer(dst, PAD);
  }
  if (bulk.kind === 'encapsulated') await writeBuffer(dst, sequenceDelimiter());
}

/**
 * Writes one Part-10 file (PS3.10 7) at `target`: header encoded with dcmjs, bulk content copied
 * from disk in fixed-size chunks (memory stays flat whatever the size) and written back to disk as
 * it goes, into a temporary file in the target's folder that is fsynced and then renamed over
 * `target`. Never leaves a half-written instance: on any failure (bad header value, source
 * shorter than announced, disk full, a failed flush, abort) the temporary file is removed and the
 * error is rethrown. An existing `target` is replaced atomically.
 */
export async function writePart10(
  target: string,
  plan: InstancePlan,
  options: WriteOptions = {},
): Promise<WrittenInstance> {
  const ranges = rangesOf(plan.bulk);
  checkRanges(ranges);
  const header = encodeHeader(plan, bulkTagOf(plan.bulk));
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.part`);
  const dst = await open(temp, 'wx', 0o644);
  const writeback = new EarlyWriteback(dst);
  let closed = false;
  try {
    options.signal?.throwIfAborted();
    await writeBuffer(dst, header.before);
    await writeBulk(dst, plan.bulk, options, writeback);
    await writeBuffer(dst, header.after);
    await writeback.settle();
    // fdatasync: the bytes and the size needed to read them back (POSIX); most of it was written
    // back during the copy already (EarlyWriteback). The directory fsync makes the name durable.
    await dst.datasync();
    const { size } = await dst.stat();
    await dst.close();
    closed = true;
    await rename(temp, target);
    await syncFolder(dirname(target));
    return { path: target, bytes: size };
  } catch (error) {
    await writeback.settle().catch(() => undefined);
    if (!closed) await dst.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}
