/**
 * A minimal Explicit VR Little Endian encoder (PS3.5 7.1.2) for the few element types a DICOMDIR
 * needs: strings, US/UL, OB and sequences of explicit length (so record offsets can be computed
 * before writing, PS3.10 8.6 / PS3.3 F.3).
 */

export type ElementValue =
  | { readonly vr: StringVr; readonly value: string }
  | { readonly vr: 'US'; readonly value: number }
  | { readonly vr: 'UL'; readonly value: number }
  | { readonly vr: 'OB'; readonly value: Uint8Array }
  | { readonly vr: 'SQ'; readonly items: readonly DataSet[] };

export type StringVr = 'AE' | 'CS' | 'DA' | 'IS' | 'LO' | 'PN' | 'SH' | 'ST' | 'TM' | 'UI' | 'DS';

/** Elements keyed by tag as a number (group << 16 | element); written in ascending tag order. */
export type DataSet = ReadonlyMap<number, ElementValue>;

const LONG_FORM = new Set(['OB', 'SQ', 'UN', 'UT', 'OW']);

/**
 * PS3.5 6.2: UI values are padded with NUL, other strings with a space, to an even length. Text is
 * written as UTF-8: identical to ASCII for ASCII text; a record holding anything else declares
 * ISO_IR 192 in its Specific Character Set.
 */
export function padded(vr: StringVr, text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length % 2 === 0) return bytes;
  return Buffer.concat([bytes, Buffer.from(vr === 'UI' ? [0] : [0x20])]);
}

function valueBytes(element: ElementValue): Buffer {
  switch (element.vr) {
    case 'US': {
      const b = Buffer.alloc(2);
      b.writeUInt16LE(element.value);
      return b;
    }
    case 'UL': {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(element.value >>> 0);
      return b;
    }
    case 'OB':
      return element.value.length % 2 === 0
        ? Buffer.from(element.value)
        : Buffer.concat([element.value, Buffer.from([0])]);
    case 'SQ':
      return Buffer.concat(element.items.map(encodeItem));
    default:
      return padded(element.vr, element.value);
  }
}

function header(tag: number, vr: string, length: number): Buffer {
  const long = LONG_FORM.has(vr);
  const b = Buffer.alloc(long ? 12 : 8);
  b.writeUInt16LE(tag >>> 16, 0);
  b.writeUInt16LE(tag & 0xffff, 2);
  b.write(vr, 4, 'latin1');
  if (long) b.writeUInt32LE(length, 8);
  else b.writeUInt16LE(length, 6);
  return b;
}

export function encodeElement(tag: number, element: ElementValue): Buffer {
  const value = valueBytes(element);
  return Buffer.concat([header(tag, element.vr, value.length), value]);
}

export function encodeDataSet(dataSet: DataSet): Buffer {
  const tags = [...dataSet.keys()].sort((a, b) => a - b);
  return Buffer.concat(tags.map((tag) => encodeElement(tag, dataSet.get(tag) as ElementValue)));
}

/** PS3.5 7.5: Item (FFFE,E000) with explicit length. */
export function encodeItem(dataSet: DataSet): Buffer {
  const body = encodeDataSet(dataSet);
  const head = Buffer.alloc(8);
  head.writeUInt16LE(0xfffe, 0);
  head.writeUInt16LE(0xe000, 2);
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}

export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

/**
 * PS3.10 7.1: 128-byte preamble, "DICM", and the File Meta Information group with its group
 * length, followed by `dataSet` in Explicit VR Little Endian.
 */
export function encodePart10(input: {
  mediaStorageSopClassUid: string;
  mediaStorageSopInstanceUid: string;
  implementationClassUid: string;
  dataSet: Buffer;
}): Buffer {
  const meta = encodeDataSet(
    new Map<number, ElementValue>([
      [0x00020001, { vr: 'OB', value: Uint8Array.from([0, 1]) }],
      [0x00020002, { vr: 'UI', value: input.mediaStorageSopClassUid }],
      [0x00020003, { vr: 'UI', value: input.mediaStorageSopInstanceUid }],
      [0x00020010, { vr: 'UI', value: EXPLICIT_VR_LITTLE_ENDIAN }],
      [0x00020012, { vr: 'UI', value: input.implementationClassUid }],
      [0x00020013, { vr: 'SH', value: 'CAPSTATION' }],
    ]),
  );
  const groupLength = encodeElement(0x00020000, { vr: 'UL', value: meta.length });
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), groupLength, meta, input.dataSet]);
}
