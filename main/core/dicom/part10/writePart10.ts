import { randomBytes } from 'node:crypto';
import { open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { COPY_CHUNK_BYTES, SourceEndedEarlyError, copyRange } from './copyRange';
import { syncFolder } from '../../fs/durableFiles';
import { EarlyWriteback } from '../../fs/EarlyWriteback';
import { appendByKernel, canCopyInKernel } from '../../fs/kernelCopy';
import {
  BulkTag,
  MAX_FRAGMENT_BYTES,
  encapsulatedDocumentHeader,
  encapsulatedPixelDataHeader,
  itemHeader,
  paddingFor,
  sequenceDelimiter,
} from './encapsulation';
import { encodeHeader, type BulkAlignment, type HeaderInput } from './header';

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
  /**
   * true (default): fsync the file and its folder before resolving, so the instance survives a
   * power cut. false: atomic only (temp file + rename, never a part visible), flushed by the OS
   * in its own time, like `cp`: for a caller that keeps the source or fsyncs the result itself.
   */
  readonly sync?: boolean;
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

/** Bytes between the end of the header and the first byte of the (first) bulk value. */
function bulkPrefixBytes(bulk: BulkContent): number {
  // Pixel Data element header, empty Basic Offset Table item, first fragment's item header.
  return bulk.kind === 'encapsulated' ? 12 + 8 + 8 : 12;
}

/**
 * Where a kernel-copied value starts. Measured here (1 GiB, ext4, Linux 6.18): into an output
 * offset that is a multiple of 64 KiB (or more) the copy runs as fast as `cp`; at 4 KiB it is
 * 1.3–1.9× slower, misaligned 2–4×. At most 64 KiB of padding on ≥ 8 MiB: under 1%.
 */
const VALUE_ALIGNMENT_BYTES = 64 * 1024;

/** Large values are copied in the kernel where it can; the header pads them onto a boundary. */
function alignmentFor(bulk: BulkContent): BulkAlignment | undefined {
  const first = rangesOf(bulk)[0];
  if (!first || !canCopyInKernel(first.length)) return undefined;
  return { boundary: VALUE_ALIGNMENT_BYTES, prefixBytes: bulkPrefixBytes(bulk) };
}

/** Writes to `dst` at its current offset and counts what it wrote: the offset in the file. */
class Appender {
  offset = 0;
  constructor(readonly dst: FileHandle) {}

  async write(buffer: Buffer): Promise<void> {
    await writeBuffer(this.dst, buffer);
    this.offset += buffer.length;
  }
}

interface CopyContext {
  readonly out: Appender;
  readonly buffers: [Buffer, Buffer];
  readonly onBytes: (bytes: number) => void;
  readonly signal: AbortSignal | undefined;
}

async function copyThroughBuffers(range: ByteRange, context: CopyContext): Promise<void> {
  const { signal } = context;
  const src = await open(range.file, 'r');
  try {
    await copyRange(src, context.out.dst, range.start, range.length, {
      buffers: context.buffers,
      onBytes: context.onBytes,
      ...(signal ? { signal } : {}),
    });
  } finally {
    await src.close();
  }
}

async function isWholeFile(range: ByteRange): Promise<boolean> {
  return range.start === 0 && (await stat(range.file)).size === range.length;
}

/**
 * Appends one range: a large whole file in the kernel (which checks the count again), anything
 * else (a part of a file, a small file, no kernel copy here) through buffers.
 */
async function copyOne(range: ByteRange, context: CopyContext): Promise<void> {
  const { out, onBytes, signal } = context;
  try {
    if (canCopyInKernel(range.length) && (await isWholeFile(range))) {
      await appendByKernel(range.file, out.dst, out.offset, range.length, {
        onBytes,
        ...(signal ? { signal } : {}),
      });
    } else {
      await copyThroughBuffers(range, context);
    }
    out.offset += range.length;
  } catch (error) {
    // The source changed after it was checked (truncated by another process): name it.
    if (error instanceof SourceEndedEarlyError) {
      throw new SourceEndedEarlyError(`${range.file}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

async function writeBulk(
  out: Appender,
  bulk: BulkContent,
  options: WriteOptions,
  writeback: EarlyWriteback | undefined,
) {
  const ranges = rangesOf(bulk);
  const total = ranges.reduce((sum, r) => sum + r.length, 0);
  let done = 0;
  const context: CopyContext = {
    out,
    buffers: [Buffer.allocUnsafe(COPY_CHUNK_BYTES), Buffer.allocUnsafe(COPY_CHUNK_BYTES)],
    onBytes: (bytes: number) => {
      done += bytes;
      writeback?.wrote(bytes);
      options.onProgress?.(total === 0 ? 1 : done / total);
    },
    signal: options.signal,
  };
  if (bulk.kind === 'encapsulated') {
    await out.write(Buffer.concat([encapsulatedPixelDataHeader(), itemHeader(0)]));
  }
  for (const range of ranges) {
    const padded = range.length + paddingFor(range.length);
    await out.write(
      bulk.kind === 'encapsulated' ? itemHeader(padded) : encapsulatedDocumentHeader(padded),
    );
    await copyOne(range, context);
    if (padded !== range.length) await out.write(PAD);
  }
  if (bulk.kind === 'encapsulated') await out.write(sequenceDelimiter());
}

/**
 * Writes one Part-10 file (PS3.10 7) at `target`: header encoded with dcmjs, bulk content copied
 * from disk (in the kernel for large whole files, else in fixed-size chunks: memory stays flat
 * whatever the size), into a temporary file in the target's folder that is renamed over `target`
 * (with `sync`, the default: written back as it goes, fsynced before the rename, folder fsynced
 * after). Never leaves a half-written instance: on any failure (bad header value, source changed
 * or shorter than announced, disk full, a failed flush, abort) the temporary file is removed and
 * the error is rethrown. An existing `target` is replaced atomically.
 */
export async function writePart10(
  target: string,
  plan: InstancePlan,
  options: WriteOptions = {},
): Promise<WrittenInstance> {
  const ranges = rangesOf(plan.bulk);
  checkRanges(ranges);
  const header = encodeHeader(plan, bulkTagOf(plan.bulk), alignmentFor(plan.bulk));
  const sync = options.sync ?? true;
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.part`);
  const dst = await open(temp, 'wx', 0o644);
  const out = new Appender(dst);
  const writeback = sync ? new EarlyWriteback(dst) : undefined;
  let closed = false;
  try {
    options.signal?.throwIfAborted();
    await out.write(header.before);
    await writeBulk(out, plan.bulk, options, writeback);
    await out.write(header.after);
    if (writeback) {
      await writeback.settle();
      // fdatasync: the bytes and the size needed to read them back (POSIX); most of it was written
      // back during the copy already (EarlyWriteback). The directory fsync makes the name durable.
      await dst.datasync();
    }
    await dst.close();
    closed = true;
    await rename(temp, target);
    if (sync) await syncFolder(dirname(target));
    return { path: target, bytes: out.offset };
  } catch (error) {
    await writeback?.settle().catch(() => undefined);
    if (!closed) await dst.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}
