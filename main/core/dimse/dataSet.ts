/**
 * A small in-memory data set model for what DIMSE carries besides bulk images: C-FIND identifiers,
 * N-ACTION/N-EVENT-REPORT information, MPPS attributes. Values stay bytes until read with a
 * character set (core/dicom/charset), so text inside sequences decodes like top-level text.
 */
import { readHeader, UNDEFINED_LENGTH, writeHeader, type VrEncoding } from './convertSyntax';
import { ProtocolError } from './errors';

export interface DataElement {
  readonly tag: number;
  readonly vr: string;
  /** Raw value bytes (not for sequences). */
  readonly value: Buffer;
  /** Items, for SQ. */
  readonly items?: readonly DataSet[];
}

export type DataSet = ReadonlyMap<number, DataElement>;

/** (gggg,eeee) as one number, e.g. tag(0x0010, 0x0010). */
export const tag = (group: number, element: number): number => ((group << 16) | element) >>> 0;

const ITEM = tag(0xfffe, 0xe000);
const ITEM_DELIMITER = tag(0xfffe, 0xe00d);
const SEQUENCE_DELIMITER = tag(0xfffe, 0xe0dd);

/** Parses a whole data set. Throws ProtocolError on malformed or truncated data. */
export function readDataSet(buffer: Buffer, encoding: VrEncoding): DataSet {
  try {
    return readElements(buffer, 0, buffer.length, encoding).dataSet;
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    throw new ProtocolError(`malformed data set: ${(error as Error).message}`);
  }
}

function readElements(
  buffer: Buffer,
  start: number,
  end: number,
  encoding: VrEncoding,
): { dataSet: Map<number, DataElement>; next: number } {
  const dataSet = new Map<number, DataElement>();
  let offset = start;
  while (offset < end && offset < buffer.length) {
    const header = readHeader(buffer, offset, encoding);
    const elementTag = tag(header.group, header.element);
    const valueStart = offset + header.headerLength;
    if (elementTag === ITEM_DELIMITER) return { dataSet, next: valueStart };
    if (header.vr === 'SQ' || (header.vr === 'UN' && header.length === UNDEFINED_LENGTH)) {
      const itemEncoding: VrEncoding = header.vr === 'UN' ? 'implicit' : encoding;
      const { items, next } = readItems(buffer, valueStart, header.length, itemEncoding);
      dataSet.set(elementTag, { tag: elementTag, vr: 'SQ', value: Buffer.alloc(0), items });
      offset = next;
      continue;
    }
    const valueEnd = valueStart + header.length;
    if (header.length === UNDEFINED_LENGTH || valueEnd > buffer.length)
      throw new ProtocolError('element value overruns the data set');
    dataSet.set(elementTag, {
      tag: elementTag,
      vr: header.vr,
      value: buffer.subarray(valueStart, valueEnd),
    });
    offset = valueEnd;
  }
  return { dataSet, next: offset };
}

function readItems(
  buffer: Buffer,
  start: number,
  length: number,
  encoding: VrEncoding,
): { items: DataSet[]; next: number } {
  const items: DataSet[] = [];
  const end = length === UNDEFINED_LENGTH ? buffer.length : start + length;
  let offset = start;
  while (offset < end) {
    const itemTag = tag(buffer.readUInt16LE(offset), buffer.readUInt16LE(offset + 2));
    const itemLength = buffer.readUInt32LE(offset + 4);
    if (itemTag === SEQUENCE_DELIMITER) return { items, next: offset + 8 };
    if (itemTag !== ITEM) throw new ProtocolError('sequence holds something other than items');
    const itemEnd = itemLength === UNDEFINED_LENGTH ? buffer.length : offset + 8 + itemLength;
    const { dataSet, next } = readElements(buffer, offset + 8, itemEnd, encoding);
    items.push(dataSet);
    offset = itemLength === UNDEFINED_LENGTH ? next : itemEnd;
  }
  return { items, next: offset };
}

// ---- encoding -----------------------------------------------------------------------------------

export interface ElementSpec {
  readonly tag: number;
  readonly vr: string;
  /** Text (encoded with `encodeText`), raw bytes, or the items of a sequence. */
  readonly value: string | Buffer | readonly (readonly ElementSpec[])[];
}

/** PS3.5 6.2: odd-length values are padded, UI with NUL, other text with a space, binary with NUL. */
function padded(value: Buffer, vr: string): Buffer {
  if (value.length % 2 === 0) return value;
  const pad = vr === 'UI' || vr === 'OB' || vr === 'UN' ? 0x00 : 0x20;
  return Buffer.concat([value, Buffer.from([pad])]);
}

/**
 * Encodes elements (sorted by tag here) with defined lengths. `encodeText` turns text into bytes;
 * the default writes Latin-1, which is exact for the default repertoire.
 */
export function encodeDataSet(
  elements: readonly ElementSpec[],
  encoding: VrEncoding,
  encodeText: (text: string) => Buffer = (text) => Buffer.from(text, 'latin1'),
): Buffer {
  const parts: Buffer[] = [];
  for (const element of [...elements].sort((a, b) => a.tag - b.tag)) {
    const group = element.tag >>> 16;
    const number = element.tag & 0xffff;
    if (typeof element.value === 'string' || Buffer.isBuffer(element.value)) {
      const raw = typeof element.value === 'string' ? encodeText(element.value) : element.value;
      const value = padded(raw, element.vr);
      parts.push(writeHeader(group, number, element.vr, value.length, encoding), value);
      continue;
    }
    const items = element.value.map((item) => {
      const content = encodeDataSet(item, encoding, encodeText);
      const header = Buffer.alloc(8);
      header.writeUInt16LE(0xfffe, 0);
      header.writeUInt16LE(0xe000, 2);
      header.writeUInt32LE(content.length, 4);
      return Buffer.concat([header, content]);
    });
    const body = Buffer.concat(items);
    parts.push(writeHeader(group, number, 'SQ', body.length, encoding), body);
  }
  return Buffer.concat(parts);
}
