/** Serialises ISO/IEC 14496-12 boxes (4.2): size, type, payload; FullBox adds version and flags. */

const HEADER_BYTES = 8;
const LARGE_HEADER_BYTES = 16;
const LARGE_SIZE_MARKER = 1;
export const MAX_U32 = 0xffffffff;

export function u8(value: number): Buffer {
  return Buffer.of(value);
}

export function u16(value: number): Buffer {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16BE(value);
  return bytes;
}

export function u32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return bytes;
}

export function i32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value);
  return bytes;
}

export function u64(value: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(value));
  return bytes;
}

/** A u32 array written in one go; far faster than a Buffer per entry for large sample tables. */
export function u32Array(values: ArrayLike<number>, signed = false): Buffer {
  const bytes = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) {
    const value = values[i] ?? 0;
    if (signed) bytes.writeInt32BE(value, i * 4);
    else bytes.writeUInt32BE(value, i * 4);
  }
  return bytes;
}

export function u64Array(values: ArrayLike<number>): Buffer {
  const bytes = Buffer.alloc(values.length * 8);
  for (let i = 0; i < values.length; i++) bytes.writeBigUInt64BE(BigInt(values[i] ?? 0), i * 8);
  return bytes;
}

/** A box with a 32-bit size; the payloads of moov and its children never approach 4 GiB. */
export function box(type: string, ...parts: Buffer[]): Buffer {
  const size = HEADER_BYTES + parts.reduce((sum, part) => sum + part.length, 0);
  if (size > MAX_U32) throw new RangeError(`box '${type}' of ${size} bytes needs a largesize`);
  return Buffer.concat([u32(size), Buffer.from(type, 'latin1'), ...parts]);
}

export function fullBox(type: string, version: number, flags: number, ...parts: Buffer[]): Buffer {
  const versionAndFlags = Buffer.alloc(4);
  versionAndFlags.writeUInt32BE(((version & 0xff) << 24) | (flags & 0xffffff));
  return box(type, versionAndFlags, ...parts);
}

/** 'mdat' header: 8 bytes, or 16 with a 64-bit largesize once the data passes 4 GiB (4.2). */
export function mdatHeader(dataBytes: number): Buffer {
  const type = Buffer.from('mdat', 'latin1');
  if (dataBytes + HEADER_BYTES <= MAX_U32)
    return Buffer.concat([u32(dataBytes + HEADER_BYTES), type]);
  return Buffer.concat([u32(LARGE_SIZE_MARKER), type, u64(dataBytes + LARGE_HEADER_BYTES)]);
}
