import { randomBytes } from 'node:crypto';
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sharp } from 'sharp';
import { InputRejectedError } from '../errors';
import { decodeBmp } from './bmp';
import { loadSharp } from './lazySharp';
import { JpegFormatError, readJpegInfo, type JpegInfo } from './jpegInfo';
import { sniffFormat, type SniffedFormat } from './sniff';

/** Formats converted to JPEG Baseline with sharp (libvips). */
const CONVERTIBLE: ReadonlySet<SniffedFormat> = new Set([
  'png',
  'gif',
  'tiff',
  'webp',
  'heif',
  'bmp',
]);

/** Quality for images we must encode ourselves: visually lossless for clinical photos. */
const JPEG_QUALITY = 92;

export interface PreparedStill {
  /** The JPEG Baseline stream to embed: the input itself, or a converted copy in workDir. */
  readonly file: string;
  /** Bytes of the stream, up to and including EOI. */
  readonly length: number;
  readonly info: JpegInfo;
  readonly sourceFormat: SniffedFormat;
  /** Why the pixels were re-encoded; absent when the camera's bytes are embedded unchanged. */
  readonly reencodedBecause?: string;
  /** Removes the converted copy, if one was made. Never throws. */
  cleanup(): Promise<void>;
}

/** A reason to re-encode a JPEG instead of embedding it, or undefined if it can go in as is. */
function reasonToReencode(info: JpegInfo, orientation: number | undefined): string | undefined {
  if (!info.baseline) return `it is ${info.process} ${info.precision}-bit JPEG, not baseline 8-bit`;
  if (info.components !== 1 && info.components !== 3) {
    return `it has ${info.components} components (CMYK?), JPEG Baseline in DICOM allows 1 or 3`;
  }
  if (info.components === 3 && !info.adobeRgb && !info.chromaSubsampled) {
    // YCbCr 4:4:4 would be YBR_FULL, which the VL Image Module does not admit (PS3.3 C.8.12.1.1.2).
    return 'its colour is YCbCr 4:4:4 (YBR_FULL), which VL images do not admit';
  }
  if (orientation !== undefined && orientation !== 1) {
    return `its EXIF orientation is ${orientation}; DICOM viewers ignore EXIF, so pixels are rotated`;
  }
  return undefined;
}

async function encodeWithSharp(input: Sharp, out: string): Promise<void> {
  await input
    .rotate() // apply EXIF orientation, then drop the tag
    .flatten({ background: '#ffffff' }) // alpha onto white
    .toColourspace('srgb') // CMYK / grey / 16-bit → 8-bit sRGB
    .jpeg({ quality: JPEG_QUALITY, progressive: false, mozjpeg: false, chromaSubsampling: '4:2:0' })
    .toFile(out);
}

async function sharpInput(file: string, format: SniffedFormat): Promise<Sharp> {
  const sharp = await loadSharp();
  if (format !== 'bmp') return sharp(file, { failOn: 'warning' });
  const bmp = decodeBmp(await readFile(file));
  return sharp(bmp.pixels, {
    raw: { width: bmp.width, height: bmp.height, channels: bmp.channels },
  });
}

async function convert(
  file: string,
  format: SniffedFormat,
  workDir: string,
  reason: string,
): Promise<PreparedStill> {
  const out = join(workDir, `.convert-${randomBytes(6).toString('hex')}.jpg`);
  const cleanup = () => unlink(out).catch(() => undefined);
  try {
    await encodeWithSharp(await sharpInput(file, format), out);
    const bytes = await readFile(out);
    const info = readJpegInfo(bytes);
    if (!info.baseline) throw new Error('the encoder did not produce baseline JPEG');
    return {
      file: out,
      length: info.end,
      info,
      sourceFormat: format,
      reencodedBecause: reason,
      cleanup,
    };
  } catch (error) {
    await cleanup();
    if (error instanceof InputRejectedError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new InputRejectedError(
      file,
      `${format.toUpperCase()} image cannot be decoded: ${message}`,
    );
  }
}

async function fromJpeg(file: string, workDir: string): Promise<PreparedStill> {
  const bytes = await readFile(file);
  let info: JpegInfo;
  try {
    info = readJpegInfo(bytes);
  } catch (error) {
    if (error instanceof JpegFormatError) throw new InputRejectedError(file, error.message);
    throw error;
  }
  const { orientation } = await (await loadSharp())(bytes).metadata();
  const reason = reasonToReencode(info, orientation);
  if (reason) return convert(file, 'jpeg', workDir, reason);
  return {
    file,
    length: info.end,
    info,
    sourceFormat: 'jpeg',
    cleanup: () => Promise.resolve(),
  };
}

/**
 * Turns a still image file into a JPEG Baseline stream ready to embed (PS3.5 A.4.1). A baseline
 * 8-bit JPEG, greyscale or chroma-subsampled YCbCr or Adobe RGB, without EXIF rotation, is embedded
 * byte for byte. Anything else sharp can read is re-encoded: 4:4:4 YCbCr (VL images do not admit
 * YBR_FULL), progressive, CMYK or EXIF-rotated JPEG, PNG, BMP, TIFF, WebP, GIF, and HEIF/AVIF as
 * far as the build supports; EXIF orientation is applied, alpha flattened onto white, colour
 * converted to sRGB. Converted copies go to `workDir`; call cleanup() after writing.
 * Throws InputRejectedError (file + reason) when the content is not a readable image, whatever
 * its file name claims.
 */
export async function prepareStill(file: string, workDir: string): Promise<PreparedStill> {
  const format = await sniffFormat(file);
  if (format === 'jpeg') return fromJpeg(file, workDir);
  if (CONVERTIBLE.has(format)) {
    return convert(file, format, workDir, `${format.toUpperCase()} is converted to JPEG Baseline`);
  }
  const what = format === 'unknown' ? 'unrecognised content' : `${format.toUpperCase()} content`;
  throw new InputRejectedError(file, `not an image: ${what}`);
}
