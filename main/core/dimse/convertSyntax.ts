/**
 * Byte-level rewrite of data set elements between Explicit and Implicit VR Little Endian
 * (PS3.5 7.1.2 / 7.1.3). Values are copied unchanged — both syntaxes are little endian — only the
 * element headers change, and defined lengths of sequences and items are recomputed because
 * header sizes differ (a ValueMap may change values too: see convertElement). Works on an
 * in-memory slice; convertDataSet.ts streams the large values.
 */
import { ProtocolError } from './errors';
import { vrOfTag } from './vrDictionary';
import { LONG_FORM_VRS } from '../dicom/explicitVrLengths';

export type VrEncoding = 'explicit' | 'implicit';

export const UNDEFINED_LENGTH = 0xffffffff;
const ITEM = 0xe000;
const ITEM_DELIMITER = 0xe00d;
const SEQUENCE_DELIMITER = 0xe0dd;

/** The slice ends before the element does: read more and try again. */
export class NeedMoreData extends Error {}

export interface ElementHeader {
  readonly group: number;
  readonly element: number;
  readonly vr: string;
  readonly length: number;
  readonly headerLength: number;
}

/** Reads the element header at `offset`. Item and delimiter tags have no VR in either syntax. */
export function readHeader(buffer: Buffer, offset: number, from: VrEncoding): ElementHeader {
  if (offset + 8 > buffer.length) throw new NeedMoreData();
  const group = buffer.readUInt16LE(offset);
  const element = buffer.readUInt16LE(offset + 2);
  if (group === 0xfffe)
    return { group, element, vr: '', length: buffer.readUInt32LE(offset + 4), headerLength: 8 };
  if (from === 'implicit') {
    const length = buffer.readUInt32LE(offset + 4);
    // Only a sequence can have undefined length in Implicit VR (PS3.5 7.5.1).
    const vr = length === UNDEFINED_LENGTH ? 'SQ' : vrOfTag(group, element);
    return { group, element, vr, length, headerLength: 8 };
  }
  const vr = buffer.toString('latin1', offset + 4, offset + 6);
  if (!/^[A-Z]{2}$/.test(vr))
    throw new ProtocolError(`no VR at (${group.toString(16)},${element.toString(16)})`);
  if (!LONG_FORM_VRS.has(vr))
    return { group, element, vr, length: buffer.readUInt16LE(offset + 6), headerLength: 8 };
  if (offset + 12 > buffer.length) throw new NeedMoreData();
  return { group, element, vr, length: buffer.readUInt32LE(offset + 8), headerLength: 12 };
}

/** Encodes a header in the target syntax; a short-VR value too long for 16 bits becomes UN. */
export function writeHeader(
  group: number,
  element: number,
  vr: string,
  length: number,
  to: VrEncoding,
): Buffer {
  const explicitLong = to === 'explicit' && (LONG_FORM_VRS.has(vr) || length > 0xffff);
  const header = Buffer.alloc(explicitLong ? 12 : 8);
  header.writeUInt16LE(group, 0);
  header.writeUInt16LE(element, 2);
  if (to === 'implicit') {
    header.writeUInt32LE(length, 4);
    return header;
  }
  header.write(LONG_FORM_VRS.has(vr) || length <= 0xffff ? vr : 'UN', 4, 'latin1');
  if (explicitLong) header.writeUInt32LE(length, 8);
  else header.writeUInt16LE(length, 6);
  return header;
}

const delimiter = (element: number): Buffer => {
  const buffer = Buffer.alloc(8);
  buffer.writeUInt16LE(0xfffe, 0);
  buffer.writeUInt16LE(element, 2);
  return buffer;
};

/** True when the element's value is a sequence of items to walk rather than bytes to copy. */
export function isSequence(header: ElementHeader): boolean {
  return header.vr === 'SQ' || (header.vr === 'UN' && header.length === UNDEFINED_LENGTH);
}

/**
 * What becomes of each value that is not a sequence (`depth` 0 at the top level, 1 inside a
 * top-level sequence's items, …): its bytes, changed or not. The default keeps them.
 */
export type ValueMap = (header: ElementHeader, value: Buffer, depth: number) => Buffer;

const keepValue: ValueMap = (_header, value) => value;

/**
 * Converts the one element starting at `offset` (header and whole value, sequences included),
 * each value passed through `mapValue` (media-import's conversion to UTF-8 re-encodes text this
 * way); defined lengths of sequences and items follow what the values became. Returns the
 * converted bytes — the element's header first — and the offset after the element. Throws
 * NeedMoreData when `buffer` ends first, ProtocolError on malformed data.
 */
export function convertElement(
  buffer: Buffer,
  offset: number,
  from: VrEncoding,
  to: VrEncoding,
  mapValue: ValueMap = keepValue,
  depth = 0,
): { out: Buffer[]; next: number } {
  const header = readHeader(buffer, offset, from);
  const valueStart = offset + header.headerLength;
  if (!isSequence(header)) {
    if (header.length === UNDEFINED_LENGTH)
      throw new ProtocolError('undefined length outside a sequence cannot be converted');
    const end = valueStart + header.length;
    if (end > buffer.length) throw new NeedMoreData();
    const value = mapValue(header, buffer.subarray(valueStart, end), depth);
    return {
      out: [writeHeader(header.group, header.element, header.vr, value.length, to), value],
      next: end,
    };
  }
  // PS3.5 6.2.2: an explicit UN of undefined length holds Implicit VR content.
  const contentFrom: VrEncoding = header.vr === 'UN' ? 'implicit' : from;
  const contentTo: VrEncoding = header.vr === 'UN' && to === 'explicit' ? 'implicit' : to;
  const { out, next } = convertItems(buffer, valueStart, header.length, {
    from: contentFrom,
    to: contentTo,
    mapValue,
    depth: depth + 1,
  });
  const vr = header.vr === 'UN' && to === 'explicit' ? 'UN' : 'SQ';
  const length = header.length === UNDEFINED_LENGTH ? UNDEFINED_LENGTH : byteLength(out);
  return { out: [writeHeader(header.group, header.element, vr, length, to), ...out], next };
}

/** How the elements inside a sequence are converted, and how deep they are. */
interface Nesting {
  readonly from: VrEncoding;
  readonly to: VrEncoding;
  readonly mapValue: ValueMap;
  readonly depth: number;
}

function convertItems(
  buffer: Buffer,
  start: number,
  length: number,
  nesting: Nesting,
): { out: Buffer[]; next: number } {
  const out: Buffer[] = [];
  const end = length === UNDEFINED_LENGTH ? Infinity : start + length;
  let offset = start;
  while (offset < end) {
    const item = readHeader(buffer, offset, nesting.from);
    if (item.group === 0xfffe && item.element === SEQUENCE_DELIMITER) {
      out.push(delimiter(SEQUENCE_DELIMITER));
      return { out, next: offset + 8 };
    }
    if (item.group !== 0xfffe || item.element !== ITEM)
      throw new ProtocolError('sequence holds something other than items');
    const content = convertContent(buffer, offset + 8, item.length, nesting);
    const itemLength =
      item.length === UNDEFINED_LENGTH ? UNDEFINED_LENGTH : byteLength(content.out);
    const itemHeader = delimiter(ITEM);
    itemHeader.writeUInt32LE(itemLength, 4);
    out.push(itemHeader, ...content.out);
    offset = content.next;
  }
  if (offset !== end && end !== Infinity)
    throw new ProtocolError('sequence length does not match its items');
  return { out, next: offset };
}

/** Elements of one item, up to its defined end or its Item Delimitation Item. */
function convertContent(
  buffer: Buffer,
  start: number,
  length: number,
  nesting: Nesting,
): { out: Buffer[]; next: number } {
  const out: Buffer[] = [];
  const end = length === UNDEFINED_LENGTH ? Infinity : start + length;
  let offset = start;
  while (offset < end) {
    if (offset + 8 > buffer.length) throw new NeedMoreData();
    if (
      buffer.readUInt16LE(offset) === 0xfffe &&
      buffer.readUInt16LE(offset + 2) === ITEM_DELIMITER
    ) {
      out.push(delimiter(ITEM_DELIMITER));
      return { out, next: offset + 8 };
    }
    const { from, to, mapValue, depth } = nesting;
    const converted = convertElement(buffer, offset, from, to, mapValue, depth);
    out.push(...converted.out);
    offset = converted.next;
  }
  if (offset !== end && end !== Infinity)
    throw new ProtocolError('item length does not match its elements');
  return { out, next: offset };
}

const byteLength = (parts: readonly Buffer[]): number =>
  parts.reduce((sum, part) => sum + part.length, 0);
