import { randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { box, mdatHeader, MAX_U32, u32 } from './boxWriter';
import { copyRanges } from './copyRanges';
import { copySpans, type SampleIndex } from './sampleIndex';
import { EarlyWriteback } from '../../fs/EarlyWriteback';

export interface RemuxOptions {
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
  recoverTruncated?: boolean;
}

const MINOR_VERSION = 0x200;

/** ISO/IEC 14496-12 4.3 FileTypeBox for a plain progressive MP4: 'isom' with the codec's brand. */
export function fileType(codec: string): Buffer {
  const brands = ['isom', 'iso2', codec === 'hevc' ? 'hvc1' : 'avc1', 'mp41'];
  const major = Buffer.from('isom', 'latin1');
  return box('ftyp', major, u32(MINOR_VERSION), Buffer.from(brands.join(''), 'latin1'));
}

/**
 * 'ftyp', 'moov' and the 'mdat' header that precede the copied samples (moov first, so players
 * start at once). `buildMoov(wide)` builds the moov from the index's current layout, with 'co64'
 * chunk offsets when `wide`. The moov's size depends only on stco vs co64, not on the offset
 * values, so the samples are laid out twice: once to size the moov, once for real.
 */
export function buildHead(ftyp: Buffer, index: SampleIndex, buildMoov: (wide: boolean) => Buffer) {
  const mdat = mdatHeader(index.dataBytes);
  index.layout(0);
  const wide = ftyp.length + buildMoov(true).length + mdat.length + index.dataBytes > MAX_U32;
  const sized = buildMoov(wide);
  index.layout(ftyp.length + sized.length + mdat.length);
  const moov = buildMoov(wide);
  if (moov.length !== sized.length) throw new Error('moov size changed between layouts');
  return Buffer.concat([ftyp, moov, mdat]);
}

/**
 * Writes `head` then every indexed chunk, copied from `input` in order, to a temporary file next
 * to `outputFile`; flushes it (durable before anyone is told it is saved) and renames it, so
 * `outputFile` is never half written. Removes the temporary file on failure or abort.
 */
export async function writeProgressive(
  input: FileHandle,
  outputFile: string,
  head: Buffer,
  index: SampleIndex,
  options: RemuxOptions,
): Promise<void> {
  const temporary = `${outputFile}.${randomBytes(6).toString('hex')}.part`;
  try {
    const output = await open(temporary, 'wx');
    // Written back while copying, so the final fdatasync waits only for the tail.
    const flushes = new EarlyWriteback(output);
    let counted = 0;
    try {
      await output.write(head, 0, head.length, 0);
      await copyRanges(input, output, copySpans(index.chunks), head.length, {
        onBytes: (copied) => {
          flushes.wrote(copied - counted);
          counted = copied;
          options.onProgress?.(copied / index.dataBytes);
        },
        signal: options.signal,
      });
      await flushes.settle();
      // fdatasync: the data and the size needed to read it back (POSIX), most of it already
      // written back during the copy.
      await output.datasync();
    } finally {
      await flushes.settle().catch(() => undefined);
      await output.close();
    }
    await rename(temporary, outputFile);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
