/**
 * A small decoder for the Windows bitmaps scanners and old capture cards write (sharp/libvips has no
 * BMP loader): uncompressed 8-bit paletted, 24-bit BGR and 32-bit (BI_RGB or BI_BITFIELDS)
 * images, bottom-up or top-down. RLE and other compressions are refused with the reason.
 */

export interface DecodedBitmap {
  readonly width: number;
  readonly height: number;
  readonly channels: 3 | 4;
  /** Top-down, interleaved RGB(A), 8 bits per sample. */
  readonly pixels: Buffer;
}

/** biCompression values (Microsoft BITMAPINFOHEADER). */
const Compression = { BI_RGB: 0, BI_BITFIELDS: 3, BI_ALPHABITFIELDS: 6 } as const;
const FILE_HEADER_BYTES = 14;
const INFO_HEADER_BYTES = 40;

interface Layout {
  width: number;
  height: number;
  topDown: boolean;
  bpp: number;
  compression: number;
  dataOffset: number;
  dibSize: number;
  colorsUsed: number;
}

function readLayout(bytes: Buffer): Layout {
  const dibSize = bytes.readUInt32LE(FILE_HEADER_BYTES);
  if (dibSize < INFO_HEADER_BYTES) throw new Error(`unsupported BMP header (${dibSize} bytes)`);
  const height = bytes.readInt32LE(22);
  return {
    width: bytes.readInt32LE(18),
    height: Math.abs(height),
    topDown: height < 0,
    bpp: bytes.readUInt16LE(28),
    compression: bytes.readUInt32LE(30),
    dataOffset: bytes.readUInt32LE(10),
    dibSize,
    colorsUsed: bytes.readUInt32LE(46),
  };
}

/** Channel masks of a 32-bit image: after the info header (BI_BITFIELDS) or standard BGRX. */
function masks32(bytes: Buffer, layout: Layout): readonly [number, number, number, number] {
  if (layout.compression === Compression.BI_RGB) return [0xff0000, 0xff00, 0xff, 0];
  const at = FILE_HEADER_BYTES + INFO_HEADER_BYTES;
  const alpha = layout.dibSize >= 56 || layout.compression === Compression.BI_ALPHABITFIELDS;
  return [
    bytes.readUInt32LE(at),
    bytes.readUInt32LE(at + 4),
    bytes.readUInt32LE(at + 8),
    alpha ? bytes.readUInt32LE(at + 12) : 0,
  ];
}

function extract(value: number, mask: number): number {
  if (mask === 0) return 255;
  const shift = 31 - Math.clz32(mask & -mask); // index of the lowest set bit
  const bits = 32 - Math.clz32(mask >>> shift);
  const raw = (value & mask) >>> shift;
  return bits >= 8 ? raw >>> (bits - 8) : Math.round((raw * 255) / ((1 << bits) - 1));
}

function pixelReader(bytes: Buffer, layout: Layout): (row: number, x: number) => number[] {
  if (layout.bpp === 24) {
    return (row, x) => [
      bytes[row + x * 3 + 2] ?? 0,
      bytes[row + x * 3 + 1] ?? 0,
      bytes[row + x * 3] ?? 0,
    ];
  }
  if (layout.bpp === 32) {
    const [r, g, b, a] = masks32(bytes, layout);
    return (row, x) => {
      const v = bytes.readUInt32LE(row + x * 4);
      return a
        ? [extract(v, r), extract(v, g), extract(v, b), extract(v, a)]
        : [extract(v, r), extract(v, g), extract(v, b)];
    };
  }
  if (layout.bpp === 8) {
    const palette = FILE_HEADER_BYTES + layout.dibSize;
    return (row, x) => {
      const entry = palette + (bytes[row + x] ?? 0) * 4;
      return [bytes[entry + 2] ?? 0, bytes[entry + 1] ?? 0, bytes[entry] ?? 0];
    };
  }
  throw new Error(`${layout.bpp}-bit BMP is not supported (8, 24 and 32-bit are)`);
}

/** Throws Error with the reason when the bitmap is compressed, truncated or of an unsupported depth. */
export function decodeBmp(bytes: Buffer): DecodedBitmap {
  if (bytes.length < FILE_HEADER_BYTES + INFO_HEADER_BYTES) throw new Error('truncated BMP header');
  const layout = readLayout(bytes);
  const { width, height, bpp, compression } = layout;
  const supported =
    compression === Compression.BI_RGB || (bpp === 32 && compression !== 1 && compression !== 2);
  if (!supported) throw new Error(`compressed BMP (biCompression ${compression}) is not supported`);
  if (width <= 0 || height <= 0) throw new Error(`invalid BMP size ${width}x${height}`);
  const stride = Math.ceil((bpp * width) / 32) * 4;
  if (layout.dataOffset + stride * height > bytes.length)
    throw new Error('truncated BMP pixel data');
  const read = pixelReader(bytes, layout);
  const channels = bpp === 32 && masks32(bytes, layout)[3] !== 0 ? 4 : 3;
  const pixels = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    const row = layout.dataOffset + (layout.topDown ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const px = read(row, x);
      for (let c = 0; c < channels; c++) pixels[(y * width + x) * channels + c] = px[c] ?? 255;
    }
  }
  return { width, height, channels, pixels };
}
