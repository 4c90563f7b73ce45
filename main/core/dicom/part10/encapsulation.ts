/**
 * Byte layouts for the element that carries the bulk content, written by hand because dcmjs would
 * need the whole payload in memory (and splits JPEG frames into 20 KiB fragments).
 * All little endian, Explicit VR (PS3.5 7.1.2, A.4).
 */

/** Tags as 8 hex digits, the form dcmjs keys its datasets by. */
export const BulkTag = {
  PixelData: '7FE00010',
  EncapsulatedDocument: '00420011',
} as const;
export type BulkTag = (typeof BulkTag)[keyof typeof BulkTag];

/** PS3.5 7.5: data element tags of Item and Sequence Delimitation Item, group FFFE. */
const ITEM_GROUP = 0xfffe;
const ITEM_ELEMENT = 0xe000;
const SEQUENCE_DELIMITATION_ELEMENT = 0xe0dd;
const UNDEFINED_LENGTH = 0xffffffff;

/** PS3.5 A.4: a fragment's length is a 32-bit even number, so at most 2^32 - 2 bytes. */
export const MAX_FRAGMENT_BYTES = 0xfffffffe;

/** Number of padding bytes needed to make `length` even (PS3.5 7.1.1, A.4: values have even length). */
export function paddingFor(length: number): 0 | 1 {
  return length % 2 === 0 ? 0 : 1;
}

function tagHeader(group: number, element: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt16LE(group, 0);
  out.writeUInt16LE(element, 2);
  return out;
}

function explicitLongHeader(tag: BulkTag, vr: 'OB', length: number): Buffer {
  const group = parseInt(tag.slice(0, 4), 16);
  const element = parseInt(tag.slice(4), 16);
  const out = Buffer.alloc(12);
  tagHeader(group, element).copy(out, 0);
  out.write(vr, 4, 'latin1');
  out.writeUInt16LE(0, 6); // reserved (PS3.5 7.1.2, Table 7.1-1)
  out.writeUInt32LE(length, 8);
  return out;
}

/** (7FE0,0010) OB with undefined length: the start of encapsulated Pixel Data (PS3.5 A.4). */
export function encapsulatedPixelDataHeader(): Buffer {
  return explicitLongHeader(BulkTag.PixelData, 'OB', UNDEFINED_LENGTH);
}

/** An Item header (FFFE,E000) announcing `length` bytes: the Basic Offset Table or a fragment. */
export function itemHeader(length: number): Buffer {
  if (length % 2 !== 0 || length > MAX_FRAGMENT_BYTES) {
    throw new RangeError(`an item must have an even length ≤ 2^32-2, got ${length}`);
  }
  const out = Buffer.alloc(8);
  tagHeader(ITEM_GROUP, ITEM_ELEMENT).copy(out, 0);
  out.writeUInt32LE(length, 4);
  return out;
}

/** Sequence Delimitation Item (FFFE,E0DD) with length 0: ends encapsulated Pixel Data. */
export function sequenceDelimiter(): Buffer {
  const out = Buffer.alloc(8);
  tagHeader(ITEM_GROUP, SEQUENCE_DELIMITATION_ELEMENT).copy(out, 0);
  out.writeUInt32LE(0, 4);
  return out;
}

/** (0042,0011) Encapsulated Document, OB with a defined (even) length (PS3.3 C.24.2). */
export function encapsulatedDocumentHeader(paddedLength: number): Buffer {
  if (paddedLength % 2 !== 0 || paddedLength > MAX_FRAGMENT_BYTES) {
    throw new RangeError(`an OB value must have an even length ≤ 2^32-2, got ${paddedLength}`);
  }
  return explicitLongHeader(BulkTag.EncapsulatedDocument, 'OB', paddedLength);
}
