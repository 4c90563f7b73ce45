/**
 * Reads what DICOM needs from a JPEG interchange stream (ISO/IEC 10918-1 Annex B) without decoding:
 * the frame header (SOF) for size, components and process, and whether an Adobe APP14 marker says
 * the components are RGB. Only marker segments are walked; entropy-coded data is never touched.
 */

/** ISO/IEC 10918-1 Table B.1 marker codes (second byte after 0xFF). */
export const JpegMarker = {
  SOI: 0xd8,
  EOI: 0xd9,
  SOS: 0xda,
  APP14: 0xee,
  /** Baseline DCT, Huffman: the only process JPEG Baseline (PS3.5 A.4.1, 1.2.840.10008.1.2.4.50) admits. */
  SOF0: 0xc0,
} as const;

/** SOF markers: C0–C3, C5–C7, C9–CB, CD–CF (C4 DHT, C8 JPG, CC DAC are not frames). */
const SOF_PROCESS: Readonly<Record<number, string>> = {
  0xc0: 'baseline',
  0xc1: 'extended sequential',
  0xc2: 'progressive',
  0xc3: 'lossless',
  0xc5: 'differential sequential',
  0xc6: 'differential progressive',
  0xc7: 'differential lossless',
  0xc9: 'extended sequential (arithmetic)',
  0xca: 'progressive (arithmetic)',
  0xcb: 'lossless (arithmetic)',
  0xcd: 'differential sequential (arithmetic)',
  0xce: 'differential progressive (arithmetic)',
  0xcf: 'differential lossless (arithmetic)',
};

export interface JpegInfo {
  readonly process: string;
  readonly baseline: boolean;
  readonly precision: number;
  readonly rows: number;
  readonly columns: number;
  readonly components: number;
  /** True when luminance is sampled more densely than chrominance (4:2:2 or 4:2:0). */
  readonly chromaSubsampled: boolean;
  /** Adobe APP14 transform flag 0 with three components: the samples are RGB, not YCbCr. */
  readonly adobeRgb: boolean;
  /** Byte offset just past the EOI marker: where the stream really ends. */
  readonly end: number;
}

export class JpegFormatError extends Error {
  override readonly name = 'JpegFormatError';
}

function readFrame(bytes: Buffer, offset: number, marker: number) {
  const precision = bytes.readUInt8(offset + 4);
  const rows = bytes.readUInt16BE(offset + 5);
  const columns = bytes.readUInt16BE(offset + 7);
  const components = bytes.readUInt8(offset + 9);
  const sampling: number[] = [];
  for (let i = 0; i < components; i++) sampling.push(bytes.readUInt8(offset + 11 + i * 3));
  const [first = 0x11, ...rest] = sampling;
  const chromaSubsampled = rest.some((s) => s !== first);
  const process = SOF_PROCESS[marker] ?? 'unknown';
  return { process, precision, rows, columns, components, chromaSubsampled };
}

function isAdobeRgb(bytes: Buffer, offset: number, length: number): boolean {
  // APP14 "Adobe" segment: 5-byte id, version(2), flags0(2), flags1(2), transform(1).
  if (length < 14 || bytes.toString('latin1', offset + 4, offset + 9) !== 'Adobe') return false;
  return bytes.readUInt8(offset + 4 + 11) === 0;
}

/** The EOI marker must close the stream; trailing bytes after it (some cameras add them) are ignored. */
function findEnd(bytes: Buffer, from: number): number {
  const eoi = bytes.lastIndexOf(Buffer.from([0xff, JpegMarker.EOI]));
  if (eoi < from)
    throw new JpegFormatError('the JPEG stream is truncated (no end-of-image marker)');
  return eoi + 2;
}

/**
 * Walks the marker segments up to the first SOS. Throws JpegFormatError when the bytes are not a
 * JPEG stream, have no frame header, or are truncated (no EOI after the scan).
 */
export function readJpegInfo(bytes: Buffer): JpegInfo {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== JpegMarker.SOI) {
    throw new JpegFormatError('not a JPEG stream (no start-of-image marker)');
  }
  let offset = 2;
  let frame: ReturnType<typeof readFrame> | undefined;
  let adobeRgb = false;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) throw new JpegFormatError(`corrupt marker at byte ${offset}`);
    const marker = bytes.readUInt8(offset + 1);
    if (marker === 0xff) {
      offset += 1; // fill byte (B.1.1.2)
      continue;
    }
    const length = bytes.readUInt16BE(offset + 2);
    if (offset + 2 + length > bytes.length) break;
    if (marker in SOF_PROCESS) frame = readFrame(bytes, offset, marker);
    else if (marker === JpegMarker.APP14) adobeRgb = isAdobeRgb(bytes, offset, length);
    else if (marker === JpegMarker.SOS) {
      if (!frame) throw new JpegFormatError('scan before any frame header');
      const end = findEnd(bytes, offset + 2 + length);
      return {
        ...frame,
        baseline: frame.process === 'baseline' && frame.precision === 8,
        adobeRgb: adobeRgb && frame.components === 3,
        end,
      };
    }
    offset += 2 + length;
  }
  throw new JpegFormatError('the JPEG stream is truncated (no image data)');
}
