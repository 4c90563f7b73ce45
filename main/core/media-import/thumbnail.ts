/**
 * A small JPEG preview of one instance on a medium, for the study browser. Only what can be decoded
 * safely and cheaply is previewed:
 * - JPEG Baseline (PS3.5 A.4.1, 1.2.840.10008.1.2.4.50): the first frame's fragments are taken
 *   from the encapsulated Pixel Data (PS3.5 A.4) and downscaled with sharp;
 * - uncompressed little-endian 8-bit MONOCHROME2 or RGB (planar configuration 0): the first frame's
 *   bytes are handed to sharp as raw pixels.
 * Anything else (16-bit, other compressions, palette, YBR) gets "no preview" with the reason; the
 * browser shows the study regardless. Reads the header and one frame, never the whole file.
 */
import type { FileHandle } from 'node:fs/promises';
import type { Sharp } from 'sharp';
import { loadSharp } from '../dicom/inputs/lazySharp';
import { scanHeader, type ScannedHeader } from './scanHeader';
import { MediaFileError, openForReading, type OpenFile } from './types';

export type Thumbnail =
  | { readonly ok: true; readonly jpeg: Buffer; readonly width: number; readonly height: number }
  | { readonly ok: false; readonly reason: string };

/** PS3.6 tags of the Image Pixel Module (PS3.3 C.7.6.3). */
const PIXEL_TAGS = {
  SamplesPerPixel: 0x00280002,
  PhotometricInterpretation: 0x00280004,
  PlanarConfiguration: 0x00280006,
  Rows: 0x00280010,
  Columns: 0x00280011,
  BitsAllocated: 0x00280100,
} as const;
const JPEG_BASELINE = '1.2.840.10008.1.2.4.50';
const UNCOMPRESSED = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1']);
const ITEM = 0xfffee000;
const SEQUENCE_DELIMITER = 0xfffee0dd;
/** A thumbnail source larger than this is not previewed (a 4K RGB frame is 25 MB). */
const MAX_FRAME_BYTES = 64 * 1024 * 1024;
export const THUMBNAIL_SIZE = 160;

function element(header: ScannedHeader, tag: number): Buffer | undefined {
  const found = header.elements.find((e) => e.tag === tag);
  return found ? header.bytes.subarray(found.valueStart, found.end) : undefined;
}

function us(header: ScannedHeader, tag: number): number | undefined {
  const bytes = element(header, tag);
  return bytes && bytes.length >= 2 ? bytes.readUInt16LE(0) : undefined;
}

function cs(header: ScannedHeader, tag: number): string {
  return (element(header, tag)?.toString('latin1') ?? '').replace(/[\0 ]+$/, '').trim();
}

/** Bytes at [position, position + length) of the file; throws when the file is shorter. */
async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  if (bytesRead < length) throw new MediaFileError('pixel data is truncated');
  return buffer;
}

/** Offset and length of the Pixel Data value (length 0xFFFFFFFF: encapsulated). */
async function pixelValue(handle: FileHandle, header: ScannedHeader) {
  const offset = header.pixelDataOffset;
  if (offset === undefined) return undefined;
  const explicit = header.encoding === 'explicit';
  const head = await readAt(handle, offset, explicit ? 12 : 8);
  const length = head.readUInt32LE(explicit ? 8 : 4);
  return { start: offset + head.length, length };
}

/** The first frame of encapsulated JPEG: fragments after the Basic Offset Table up to EOI. */
async function firstJpegFrame(handle: FileHandle, start: number, fileSize: number) {
  const parts: Buffer[] = [];
  let total = 0;
  let position = start;
  for (let index = 0; position + 8 <= fileSize; index++) {
    const head = await readAt(handle, position, 8);
    const tag = ((head.readUInt16LE(0) << 16) | head.readUInt16LE(2)) >>> 0;
    if (tag === SEQUENCE_DELIMITER) break;
    if (tag !== ITEM)
      throw new MediaFileError('encapsulated pixel data has no item where one belongs');
    const length = head.readUInt32LE(4);
    position += 8;
    if (position + length > fileSize)
      throw new MediaFileError('a pixel data fragment runs past the end of the file');
    if (index > 0) {
      total += length;
      if (total > MAX_FRAME_BYTES)
        throw new MediaFileError('the first frame is too large to preview');
      const fragment = await readAt(handle, position, length);
      parts.push(fragment);
      // A frame ends with EOI (FFD9), possibly followed by one pad byte (PS3.5 A.4).
      const tail = fragment.subarray(Math.max(0, fragment.length - 3));
      if (tail.includes(Buffer.from([0xff, 0xd9]))) break;
    }
    position += length;
  }
  if (parts.length === 0) throw new MediaFileError('encapsulated pixel data holds no fragment');
  return Buffer.concat(parts);
}

async function decode(handle: FileHandle, header: ScannedHeader, size: number): Promise<Thumbnail> {
  const syntax = header.transferSyntaxUid;
  const photometric = cs(header, PIXEL_TAGS.PhotometricInterpretation);
  const value = await pixelValue(handle, header);
  if (!value) return { ok: false, reason: 'no preview: the instance has no pixel data' };
  const sharp = await loadSharp();
  const resize = (image: Sharp) =>
    image.resize(size, size, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 80 });
  if (syntax === JPEG_BASELINE) {
    if (value.length !== 0xffffffff)
      return { ok: false, reason: 'no preview: JPEG pixel data is not encapsulated' };
    const jpeg = await firstJpegFrame(handle, value.start, header.fileSize);
    return finish(resize(sharp(jpeg, { failOn: 'error' })));
  }
  if (!UNCOMPRESSED.has(syntax))
    return { ok: false, reason: `no preview: transfer syntax ${syntax} is not decoded here` };
  const rows = us(header, PIXEL_TAGS.Rows) ?? 0;
  const columns = us(header, PIXEL_TAGS.Columns) ?? 0;
  const samples = us(header, PIXEL_TAGS.SamplesPerPixel) ?? 1;
  const bits = us(header, PIXEL_TAGS.BitsAllocated) ?? 0;
  const planar = us(header, PIXEL_TAGS.PlanarConfiguration) ?? 0;
  const supported =
    bits === 8 &&
    ((photometric === 'MONOCHROME2' && samples === 1) ||
      (photometric === 'RGB' && samples === 3 && planar === 0));
  if (!supported)
    return {
      ok: false,
      reason: `no preview: ${bits}-bit ${photometric || 'unknown'} pixels are not decoded here`,
    };
  const frameBytes = rows * columns * samples;
  if (rows === 0 || columns === 0) return { ok: false, reason: 'no preview: image has no size' };
  if (frameBytes > MAX_FRAME_BYTES || frameBytes > value.length)
    return { ok: false, reason: 'no preview: pixel data is shorter than Rows × Columns says' };
  const raw = await readAt(handle, value.start, frameBytes);
  return finish(
    resize(sharp(raw, { raw: { width: columns, height: rows, channels: samples === 3 ? 3 : 1 } })),
  );
}

async function finish(image: Sharp): Promise<Thumbnail> {
  const { data, info } = await image.toBuffer({ resolveWithObject: true });
  return { ok: true, jpeg: data, width: info.width, height: info.height };
}

/**
 * Makes the preview of one instance (already confined to the medium). Never throws for the file's
 * contents: a file that cannot be previewed gives `{ ok: false, reason }`.
 */
export async function makeThumbnail(
  path: string,
  options: { openFile?: OpenFile; size?: number } = {},
): Promise<Thumbnail> {
  const handle = await (options.openFile ?? openForReading)(path);
  try {
    const header = await scanHeader(handle);
    return await decode(handle, header, options.size ?? THUMBNAIL_SIZE);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `no preview: ${reason}` };
  } finally {
    await handle.close();
  }
}
