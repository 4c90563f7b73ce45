/**
 * Walks one data element — sequences, items and nested items included — and hands every value
 * that is not a sequence to a map, with the Specific Character Set in force where that value
 * stands: the data set's, or that of the nearest enclosing item that declares its own (0008,0005),
 * which "shall apply only to the Sequence Item and all of its nested Sequences" (PS3.5 7.5.3).
 * The bytes come back with what the map made of each value, and with the defined lengths of
 * items and sequences recomputed (undefined lengths stay undefined, with their delimiters).
 * core/dimse's convertElement does the same without character sets; this one exists because a
 * value alone cannot tell which item it is in.
 */
import {
  isSequence,
  NeedMoreData,
  readHeader,
  UNDEFINED_LENGTH,
  writeHeader,
  type ElementHeader,
  type VrEncoding,
} from '../dimse/convertSyntax';
import { parseSpecificCharacterSet, TEXT_VRS, type SpecificCharacterSet } from '../dicom/charset';
import { ProtocolError } from '../dimse/errors';

/** The character set in force for a value, and where it was declared. */
export interface CharsetScope {
  readonly charset: SpecificCharacterSet;
  /** The (0008,0005) value as stored, for messages. */
  readonly declared: string;
  /** True when an enclosing item (not the data set) declared it. */
  readonly inItem: boolean;
}

/** One value handed to the map. */
export interface ValueAt {
  readonly header: ElementHeader;
  readonly scope: CharsetScope;
  /** "(GGGG,EEEE)", or inside items "(GGGG,EEEE)[n].(GGGG,EEEE)", items counted from 1. */
  readonly path: string;
  readonly depth: number;
}

/** What becomes of one value: its bytes, changed or not. May throw to refuse the file. */
export type TextValueMap = (value: Buffer, at: ValueAt) => Buffer;

const SPECIFIC_CHARACTER_SET = { group: 0x0008, element: 0x0005 };
const ITEM = 0xe000;
const ITEM_DELIMITER = 0xe00d;
const SEQUENCE_DELIMITER = 0xe0dd;
/** The largest defined length a 32-bit length field holds (0xFFFFFFFF means undefined). */
const MAX_DEFINED_LENGTH = 0xfffffffe;

export const tagText = (h: { group: number; element: number }): string =>
  `(${h.group.toString(16).padStart(4, '0')},${h.element.toString(16).padStart(4, '0')})`.toUpperCase();

const isCharsetTag = (h: ElementHeader): boolean =>
  h.group === SPECIFIC_CHARACTER_SET.group && h.element === SPECIFIC_CHARACTER_SET.element;

const delimiter = (element: number, length = 0): Buffer => {
  const buffer = Buffer.alloc(8);
  buffer.writeUInt16LE(0xfffe, 0);
  buffer.writeUInt16LE(element, 2);
  buffer.writeUInt32LE(length, 4);
  return buffer;
};

const byteLength = (parts: readonly Buffer[]): number =>
  parts.reduce((sum, part) => sum + part.length, 0);

interface Walk {
  readonly buffer: Buffer;
  readonly encoding: VrEncoding;
  readonly map: TextValueMap;
}

interface Walked {
  readonly out: Buffer[];
  readonly next: number;
}

/**
 * The element at `offset` in `buffer`, every value passed through `map` with the set in force.
 * Returns its bytes (its header first) and the offset after it. Throws ProtocolError naming the
 * tag path when the element cannot be walked soundly — an item whose (0008,0005) follows text or
 * a sequence it would govern, a value of undefined length that is not a sequence, lengths that
 * disagree, a new defined length past 32 bits — and NeedMoreData when `buffer` ends first.
 */
export function mapTextValues(
  buffer: Buffer,
  offset: number,
  encoding: VrEncoding,
  scope: CharsetScope,
  map: TextValueMap,
): Walked {
  return element({ buffer, encoding, map }, offset, encoding, scope, '', 0);
}

function element(
  walk: Walk,
  offset: number,
  encoding: VrEncoding,
  scope: CharsetScope,
  parent: string,
  depth: number,
): Walked {
  const header = readHeader(walk.buffer, offset, encoding);
  const path = `${parent}${tagText(header)}`;
  const valueStart = offset + header.headerLength;
  if (!isSequence(header)) {
    if (header.length === UNDEFINED_LENGTH)
      throw new ProtocolError(`${path} has undefined length but is not a sequence`);
    const end = valueStart + header.length;
    if (end > walk.buffer.length) throw new NeedMoreData();
    const value = walk.map(walk.buffer.subarray(valueStart, end), { header, scope, path, depth });
    return {
      out: [writeHeader(header.group, header.element, header.vr, value.length, encoding), value],
      next: end,
    };
  }
  // PS3.5 6.2.2: an explicit UN of undefined length holds Implicit VR content, kept so.
  const content: VrEncoding = header.vr === 'UN' ? 'implicit' : encoding;
  const items = sequenceItems(walk, valueStart, header.length, content, scope, path, depth + 1);
  const length = header.length === UNDEFINED_LENGTH ? UNDEFINED_LENGTH : byteLength(items.out);
  if (length !== UNDEFINED_LENGTH && length > MAX_DEFINED_LENGTH)
    throw new ProtocolError(`${path} would be longer than its length field holds`);
  const vr = header.vr === 'UN' ? 'UN' : 'SQ';
  return {
    out: [writeHeader(header.group, header.element, vr, length, encoding), ...items.out],
    next: items.next,
  };
}

function sequenceItems(
  walk: Walk,
  start: number,
  length: number,
  encoding: VrEncoding,
  scope: CharsetScope,
  path: string,
  depth: number,
): Walked {
  const out: Buffer[] = [];
  const end = length === UNDEFINED_LENGTH ? Infinity : start + length;
  let offset = start;
  for (let index = 1; offset < end; index += 1) {
    const item = readHeader(walk.buffer, offset, encoding);
    if (item.group === 0xfffe && item.element === SEQUENCE_DELIMITER) {
      out.push(delimiter(SEQUENCE_DELIMITER));
      return { out, next: offset + 8 };
    }
    if (item.group !== 0xfffe || item.element !== ITEM)
      throw new ProtocolError(`${path} holds something other than items`);
    const itemPath = `${path}[${index}].`;
    const content = itemContent(walk, offset + 8, item.length, encoding, scope, itemPath, depth);
    const itemLength =
      item.length === UNDEFINED_LENGTH ? UNDEFINED_LENGTH : byteLength(content.out);
    if (itemLength !== UNDEFINED_LENGTH && itemLength > MAX_DEFINED_LENGTH)
      throw new ProtocolError(`${path}[${index}] would be longer than its length field holds`);
    out.push(delimiter(ITEM, itemLength), ...content.out);
    offset = content.next;
  }
  if (end !== Infinity && offset !== end)
    throw new ProtocolError(`${path}: the sequence's length does not match its items`);
  return { out, next: offset };
}

/**
 * The elements of one item. Its own (0008,0005), when present, governs the whole item; the
 * elements are in tag order (PS3.5 7.1), so it comes before any text. One that comes after a
 * text value or a sequence of the item is refused: those were read in another set.
 */
function itemContent(
  walk: Walk,
  start: number,
  length: number,
  encoding: VrEncoding,
  enclosing: CharsetScope,
  path: string,
  depth: number,
): Walked {
  const out: Buffer[] = [];
  const end = length === UNDEFINED_LENGTH ? Infinity : start + length;
  let scope = enclosing;
  let governed: string | undefined; // the first element the item's set would have applied to
  let offset = start;
  while (offset < end) {
    if (offset + 8 > walk.buffer.length) throw new NeedMoreData();
    if (
      walk.buffer.readUInt16LE(offset) === 0xfffe &&
      walk.buffer.readUInt16LE(offset + 2) === ITEM_DELIMITER
    ) {
      out.push(delimiter(ITEM_DELIMITER));
      return { out, next: offset + 8 };
    }
    const header = readHeader(walk.buffer, offset, encoding);
    if (isCharsetTag(header)) {
      if (governed !== undefined)
        throw new ProtocolError(
          `${path}${tagText(header)} declares the item's character set after ${path}${governed}, which it governs`,
        );
      scope = itemScope(walk.buffer, offset, header, path);
    } else if (governed === undefined && (TEXT_VRS.has(header.vr) || isSequence(header)))
      governed = tagText(header);
    const walked = element(walk, offset, encoding, scope, path, depth);
    out.push(...walked.out);
    offset = walked.next;
  }
  if (end !== Infinity && offset !== end)
    throw new ProtocolError(`${path.slice(0, -1)}: the item's length does not match its elements`);
  return { out, next: offset };
}

function itemScope(
  buffer: Buffer,
  offset: number,
  header: ElementHeader,
  path: string,
): CharsetScope {
  if (header.length === UNDEFINED_LENGTH)
    throw new ProtocolError(`${path}${tagText(header)} has undefined length`);
  const valueStart = offset + header.headerLength;
  if (valueStart + header.length > buffer.length) throw new NeedMoreData();
  const declared = buffer.toString('latin1', valueStart, valueStart + header.length);
  return { charset: parseSpecificCharacterSet(declared), declared: declared.trim(), inItem: true };
}
