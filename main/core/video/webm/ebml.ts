import type { FileHandle } from 'node:fs/promises';
import { VideoFormatError } from '../VideoRefusedError';
import { readAt } from '../mp4/boxes';

/** An EBML element header (RFC 8794 4: variable-size integer ID and data size). */
export interface ElementHeader {
  id: number;
  start: number;
  dataStart: number;
  /** null for "unknown size" (all value bits set), which live recorders write for Segment/Cluster. */
  dataSize: number | null;
}

const MAX_ID_BYTES = 4;
const MAX_SIZE_BYTES = 8;
const MAX_HEADER_BYTES = MAX_ID_BYTES + MAX_SIZE_BYTES;

/** Length of a VINT from its first byte's leading zeros (RFC 8794 4.1), or 0 if invalid. */
function vintLength(firstByte: number, maxLength: number): number {
  for (let length = 1; length <= maxLength; length++) {
    if (firstByte & (0x80 >> (length - 1))) return length;
  }
  return 0;
}

/** Reads a VINT's value (marker bit removed) at `offset`; null when every value bit is set. */
export function readVint(bytes: Buffer, offset: number): { value: number | null; length: number } {
  const first = bytes[offset];
  const length = first === undefined ? 0 : vintLength(first, MAX_SIZE_BYTES);
  if (first === undefined || length === 0 || offset + length > bytes.length) {
    throw new VideoFormatError(`corrupt: invalid EBML variable-size integer at byte ${offset}`);
  }
  let value = first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const byte = bytes[offset + i] ?? 0;
    value = value * 256 + byte;
    allOnes &&= byte === 0xff;
  }
  return { value: allOnes ? null : value, length };
}

/** Decodes an element header from bytes read at absolute `start`. */
export function decodeElement(bytes: Buffer, start: number, relative = 0): ElementHeader {
  const first = bytes[relative];
  const idLength = first === undefined ? 0 : vintLength(first, MAX_ID_BYTES);
  if (idLength === 0 || relative + idLength > bytes.length) {
    throw new VideoFormatError(`corrupt: invalid EBML element ID at offset ${start}`);
  }
  const id = bytes.readUIntBE(relative, idLength);
  const size = readVint(bytes, relative + idLength);
  return {
    id,
    start,
    dataStart: start + idLength + size.length,
    dataSize: size.value,
  };
}

/** Reads the element header at `offset` of a file. */
export async function readElementHeader(handle: FileHandle, offset: number, fileSize: number) {
  const bytes = await readAt(handle, offset, Math.min(MAX_HEADER_BYTES, fileSize - offset));
  return decodeElement(bytes, offset);
}

/** Children of an element held in memory (`bytes` is exactly its data). */
export function* memoryElements(bytes: Buffer): Generator<{ id: number; data: Buffer }> {
  let offset = 0;
  while (offset < bytes.length) {
    const header = decodeElement(bytes, offset, offset);
    const length = header.dataSize ?? bytes.length - header.dataStart;
    const end = header.dataStart + length;
    if (end > bytes.length) throw new VideoFormatError('corrupt: EBML element overruns its parent');
    yield { id: header.id, data: bytes.subarray(header.dataStart, end) };
    offset = end;
  }
}

/** EBML unsigned integer element value (RFC 8794 7.2). */
export function uintOf(data: Buffer): number {
  return data.length === 0 ? 0 : data.readUIntBE(0, Math.min(data.length, 6));
}

/** EBML float element value (RFC 8794 7.3): 0, 4 or 8 bytes. */
export function floatOf(data: Buffer): number {
  if (data.length === 4) return data.readFloatBE(0);
  if (data.length === 8) return data.readDoubleBE(0);
  return 0;
}
