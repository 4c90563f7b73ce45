import { open } from 'node:fs/promises';

/** What the first bytes of a file say it is, whatever its name says. */
export type SniffedFormat =
  | 'jpeg'
  | 'png'
  | 'gif'
  | 'bmp'
  | 'tiff'
  | 'webp'
  | 'heif'
  | 'pdf'
  | 'mp4'
  | 'webm'
  | 'dicom'
  | 'unknown';

const HEAD_BYTES = 1032;

/** Magic numbers from each format's specification. */
function classify(head: Buffer): SniffedFormat {
  const ascii = (start: number, end: number) => head.toString('latin1', start, end);
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return 'png';
  }
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'gif';
  if (ascii(0, 2) === 'BM' && head.length >= 26) return 'bmp';
  if (ascii(0, 4) === 'II*\0' || ascii(0, 4) === 'MM\0*') return 'tiff';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (ascii(4, 8) === 'ftyp') {
    const brand = ascii(8, 12);
    return ['heic', 'heix', 'mif1', 'msf1', 'avif', 'hevc'].includes(brand) ? 'heif' : 'mp4';
  }
  if (head.readUInt32BE(0) === 0x1a45dfa3) return 'webm';
  // PDF 32000-1 7.5.2: "%PDF-" in the first 1024 bytes.
  if (head.subarray(0, 1024).includes(Buffer.from('%PDF-'))) return 'pdf';
  if (ascii(128, 132) === 'DICM') return 'dicom';
  return 'unknown';
}

/** Reads the first kilobyte of `file` and names its format. Throws only on I/O errors. */
export async function sniffFormat(file: string): Promise<SniffedFormat> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(head, 0, HEAD_BYTES, 0);
    return bytesRead < 4 ? 'unknown' : classify(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}
