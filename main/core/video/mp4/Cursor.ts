import { VideoFormatError } from '../VideoRefusedError';

/** Bounds-checked big-endian reader over one box payload; overruns name the box. */
export class Cursor {
  private offset = 0;

  constructor(
    private readonly bytes: Buffer,
    private readonly boxType: string,
  ) {}

  get position(): number {
    return this.offset;
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  private take(length: number): number {
    if (this.offset + length > this.bytes.length) {
      throw new VideoFormatError(`corrupt: '${this.boxType}' box is shorter than its fields`);
    }
    const at = this.offset;
    this.offset += length;
    return at;
  }

  skip(length: number): void {
    this.take(length);
  }

  u8(): number {
    return this.bytes.readUInt8(this.take(1));
  }

  u16(): number {
    return this.bytes.readUInt16BE(this.take(2));
  }

  u24(): number {
    return this.bytes.readUIntBE(this.take(3), 3);
  }

  u32(): number {
    return this.bytes.readUInt32BE(this.take(4));
  }

  i32(): number {
    return this.bytes.readInt32BE(this.take(4));
  }

  u64(): number {
    const value = this.bytes.readBigUInt64BE(this.take(8));
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new VideoFormatError(
        `corrupt: '${this.boxType}' box holds a 64-bit value out of range`,
      );
    }
    return Number(value);
  }

  /** 32-bit field in version 0 of a FullBox, 64-bit in version 1 (ISO/IEC 14496-12 4.2). */
  uVersioned(version: number): number {
    return version === 1 ? this.u64() : this.u32();
  }

  bytesOf(length: number): Buffer {
    const at = this.take(length);
    return this.bytes.subarray(at, at + length);
  }

  /** FullBox header: version (8 bits) and flags (24 bits). */
  fullBox(): { version: number; flags: number } {
    return { version: this.u8(), flags: this.u24() };
  }
}
