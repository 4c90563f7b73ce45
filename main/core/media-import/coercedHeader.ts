/**
 * The coerced header of one outside instance (coerceInstance.ts writes it, then copies the rest):
 * the local patient's values swapped in, the previous ones kept in a new Original Attributes
 * Sequence item (PS3.3 C.12.1.1.9, reason COERCE), the outside ID in Other Patient IDs Sequence
 * (PS3.3 C.7.1.1), the identifier context that described the outside authority removed, and
 * every other element's bytes as read — or as converted to UTF-8 when the new values need it.
 */
import {
  convertElement,
  NeedMoreData,
  readHeader,
  UNDEFINED_LENGTH,
  writeHeader,
  type VrEncoding,
} from '../dimse/convertSyntax';
import { ProtocolError } from '../dimse/errors';
import { encodeDataSet, tag, type ElementSpec } from '../dimse/dataSet';
import type { CoerceOptions } from './coerceInstance';
import { convertedToUtf8 } from './convertCharset';
import { rawValue, TAGS, textValue } from './readInstance';
import type { ScannedHeader, TopLevelElement } from './scanHeader';
import { textEncodingFor, type TextEncoding } from './textEncoding';
import { MediaFileError } from './types';

/** PS3.5 6.2 DT in UTC: YYYYMMDDHHMMSS.FFFFFF+0000. */
function dicomDateTime(now: Date): string {
  const iso = now.toISOString(); // 2026-11-28T04:05:06.789Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}.${iso.slice(20, 23)}000+0000`;
}

interface CoercedValue {
  readonly tag: number;
  readonly vr: string;
  readonly text: string;
}

function coercedValues(options: CoerceOptions): CoercedValue[] {
  const p = options.patient;
  const values: CoercedValue[] = [
    { tag: TAGS.PatientName, vr: 'PN', text: p.name },
    { tag: TAGS.PatientID, vr: 'LO', text: p.patientId },
    { tag: TAGS.IssuerOfPatientID, vr: 'LO', text: p.issuerOfPatientId ?? '' },
    { tag: TAGS.PatientBirthDate, vr: 'DA', text: p.birthDate ?? '' },
    { tag: TAGS.PatientSex, vr: 'CS', text: p.sex ?? '' },
  ];
  if (options.accessionNumber !== undefined)
    values.push({ tag: TAGS.AccessionNumber, vr: 'SH', text: options.accessionNumber });
  return values;
}

/** PS3.6 tags of the attributes that describe the coerced Patient ID's or Accession's issuer. */
const TYPE_OF_PATIENT_ID = tag(0x0010, 0x0022);
const ISSUER_OF_PATIENT_ID_QUALIFIERS = tag(0x0010, 0x0024);
const ISSUER_OF_ACCESSION_NUMBER = tag(0x0008, 0x0051);
const MODIFIED_ATTRIBUTES = tag(0x0400, 0x0550);
const SOURCE_OF_PREVIOUS_VALUES = tag(0x0400, 0x0564);

/**
 * Attributes that describe the outside authority of a coerced ID and are removed with it: the
 * qualifiers' Universal Entity ID must be the authority of Issuer of Patient ID (PS3.3 C.7.1.1,
 * Table 10-18), and the Type of Patient ID is the outside ID's; likewise the Issuer of Accession
 * Number Sequence when the Accession Number is coerced (PS3.3 C.4.14).
 */
function removedTags(options: CoerceOptions): number[] {
  const removed = [TYPE_OF_PATIENT_ID, ISSUER_OF_PATIENT_ID_QUALIFIERS];
  if (options.accessionNumber !== undefined) removed.push(ISSUER_OF_ACCESSION_NUMBER);
  return removed;
}

/** One whole element (header and value) with its tag, to be put in tag order. */
interface Encoded {
  readonly tag: number;
  readonly bytes: Buffer;
}

const tagName = (t: number): string =>
  `(${(t >>> 16).toString(16).padStart(4, '0')},${(t & 0xffff).toString(16).padStart(4, '0')})`;

const elementOf = (header: ScannedHeader, t: number): TopLevelElement | undefined =>
  header.elements.find((e) => e.tag === t);

/** A top-level element copied as read: a sequence keeps its items, in whatever encoding. */
const asRead = (header: ScannedHeader, element: TopLevelElement): Encoded => ({
  tag: element.tag,
  bytes: header.bytes.subarray(element.start, element.end),
});

const encoded = (
  specs: readonly ElementSpec[],
  encoding: VrEncoding,
  encode?: (text: string) => Buffer,
): Encoded[] =>
  specs.map((spec) => ({ tag: spec.tag, bytes: encodeDataSet([spec], encoding, encode) }));

/** One item of defined length (PS3.5 7.5.1), header included, its elements in tag order. */
function itemOf(elements: readonly Encoded[]): Buffer {
  const body = Buffer.concat([...elements].sort((a, b) => a.tag - b.tag).map((e) => e.bytes));
  const head = Buffer.alloc(8);
  head.writeUInt32LE(0xe000fffe, 0);
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}

/** A sequence of defined length holding `items` (each whole, as itemOf makes them). */
function sequenceOf(sequenceTag: number, items: readonly Buffer[], encoding: VrEncoding): Encoded {
  const length = items.reduce((sum, item) => sum + item.length, 0);
  const head = writeHeader(sequenceTag >>> 16, sequenceTag & 0xffff, 'SQ', length, encoding);
  return { tag: sequenceTag, bytes: Buffer.concat([head, ...items]) };
}

/**
 * The Modified Attributes Sequence item (PS3.3 C.12.1.1.9): the previous value of each coerced
 * attribute, as stored (empty when it was absent), and each removed attribute that was present,
 * copied as read. When the whole file went to UTF-8, that is the converted text: the same
 * characters, in the file's new set. Keeping the original bytes would need the item to declare
 * their set in its own (0008,0005) (PS3.5 7.5.3), which readers do not all honour: DCMTK 3.6.7's
 * `dcmdump +U8` fails on it.
 */
function originalsOf(
  header: ScannedHeader,
  values: readonly CoercedValue[],
  removed: readonly number[],
): Encoded[] {
  const previous = values.map((v) => ({
    tag: v.tag,
    vr: elementOf(header, v.tag)?.vr ?? v.vr,
    value: rawValue(header, v.tag) ?? Buffer.alloc(0),
  }));
  const present = removed.flatMap((t) => {
    const element = elementOf(header, t);
    return element ? [asRead(header, element)] : [];
  });
  return [...encoded(previous, header.encoding), ...present];
}

/**
 * The existing items of a top-level sequence, in the file's encoding, ready to sit under an SQ
 * header of defined length. An explicit UN (of either length) holds its items in Implicit VR
 * (PS3.5 6.2.2): they are converted to Explicit VR, with the data dictionary's VRs (an unknown
 * one stays UN), as any implicit-to-explicit conversion does. Throws MediaFileError when they
 * cannot be read so: the file is refused rather than written broken.
 */
function existingItems(header: ScannedHeader, element: TopLevelElement): Buffer {
  const { bytes } = header;
  if (header.encoding === 'implicit' || element.vr !== 'UN')
    return bytes.subarray(
      element.valueStart,
      element.undefinedLength ? element.end - 8 : element.end,
    );
  // The same element as Implicit VR would have it: its dictionary VR, SQ, makes it a sequence.
  const implicitHead = Buffer.alloc(8);
  implicitHead.writeUInt16LE(element.tag >>> 16, 0);
  implicitHead.writeUInt16LE(element.tag & 0xffff, 2);
  implicitHead.writeUInt32LE(
    element.undefinedLength ? UNDEFINED_LENGTH : element.end - element.valueStart,
    4,
  );
  const value = bytes.subarray(element.valueStart, element.end);
  try {
    const { out } = convertElement(Buffer.concat([implicitHead, value]), 0, 'implicit', 'explicit');
    // out: the element's header, its items, then the sequence delimiter if of undefined length.
    const items = out.slice(1, element.undefinedLength ? -1 : undefined);
    if (readHeader(out[0] ?? Buffer.alloc(0), 0, 'explicit').vr !== 'SQ')
      throw new ProtocolError('not a sequence');
    return Buffer.concat(items);
  } catch (error) {
    if (
      error instanceof ProtocolError ||
      error instanceof NeedMoreData ||
      error instanceof RangeError
    )
      throw new MediaFileError(
        `the existing sequence ${tagName(element.tag)} is encoded as UN and cannot be read as an Implicit VR sequence (PS3.5 6.2.2): ${error.message}`,
      );
    throw error;
  }
}

/** Appends one item (whole, as itemOf makes it) to a top-level sequence, keeping its items. */
function sequenceWithItem(header: ScannedHeader, sequenceTag: number, item: Buffer): Buffer {
  const existing = elementOf(header, sequenceTag);
  const oldItems = existing ? existingItems(header, existing) : Buffer.alloc(0);
  return sequenceOf(sequenceTag, [oldItems, item], header.encoding).bytes;
}

/**
 * The new Original Attributes Sequence item (PS3.3 C.12.1.1.9, reason COERCE). Source of Previous
 * Values is the outside Issuer of Patient ID as stored: its bytes are in the file's own set, which
 * the file keeps (or, converted, UTF-8); `encode` is for the new values only.
 */
function originalAttributesItem(
  header: ScannedHeader,
  originals: readonly Encoded[],
  encode: (text: string) => Buffer,
  options: CoerceOptions,
): Buffer {
  const previousIssuer = rawValue(header, TAGS.IssuerOfPatientID) ?? Buffer.alloc(0);
  return itemOf([
    sequenceOf(MODIFIED_ATTRIBUTES, [itemOf(originals)], header.encoding),
    ...encoded(
      [
        { tag: tag(0x0400, 0x0562), vr: 'DT', value: dicomDateTime(options.now ?? new Date()) },
        { tag: tag(0x0400, 0x0563), vr: 'LO', value: options.modifyingSystem },
        { tag: SOURCE_OF_PREVIOUS_VALUES, vr: 'LO', value: previousIssuer },
        { tag: tag(0x0400, 0x0565), vr: 'CS', value: 'COERCE' },
      ],
      header.encoding,
      encode,
    ),
  ]);
}

/**
 * The Other Patient IDs Sequence item for the outside ID (PS3.3 C.7.1.1): its Patient ID and
 * Issuer as stored, its Type of Patient ID (TEXT when it had none) and its Issuer of Patient ID
 * Qualifiers Sequence copied as read, so the outside authority stays described where its ID is.
 */
function otherPatientIdItem(header: ScannedHeader): Buffer {
  // Type of Patient ID is Type 1 in the item: an empty one is replaced, not copied.
  const typeValue = rawValue(header, TYPE_OF_PATIENT_ID)?.toString('latin1') ?? '';
  const type = /[^\0 ]/.test(typeValue) ? elementOf(header, TYPE_OF_PATIENT_ID) : undefined;
  const qualifiers = elementOf(header, ISSUER_OF_PATIENT_ID_QUALIFIERS);
  return itemOf([
    ...encoded(
      [
        { tag: TAGS.PatientID, vr: 'LO', value: rawValue(header, TAGS.PatientID) ?? '' },
        {
          tag: TAGS.IssuerOfPatientID,
          vr: 'LO',
          value: rawValue(header, TAGS.IssuerOfPatientID) ?? '',
        },
        ...(type ? [] : [{ tag: TYPE_OF_PATIENT_ID, vr: 'CS', value: 'TEXT' }]),
      ],
      header.encoding,
    ),
    ...(type ? [asRead(header, type)] : []),
    ...(qualifiers ? [asRead(header, qualifiers)] : []),
  ]);
}

/**
 * Encoded replacement elements, keyed by tag (an empty one: the element is removed). `header` is
 * the file as it will be written: its text already in UTF-8 when the whole file is converted.
 */
function replacements(
  header: ScannedHeader,
  values: readonly CoercedValue[],
  { encode, newCharset }: TextEncoding,
  options: CoerceOptions,
): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  for (const v of values)
    out.set(
      v.tag,
      encodeDataSet([{ tag: v.tag, vr: v.vr, value: v.text }], header.encoding, encode),
    );
  if (newCharset)
    out.set(
      TAGS.SpecificCharacterSet,
      encodeDataSet(
        [{ tag: TAGS.SpecificCharacterSet, vr: 'CS', value: newCharset }],
        header.encoding,
      ),
    );
  const removed = removedTags(options);
  // An empty replacement removes the element (rewriteHeader writes replacements in its place).
  for (const t of removed) if (elementOf(header, t)) out.set(t, Buffer.alloc(0));
  out.set(
    TAGS.OriginalAttributesSequence,
    sequenceWithItem(
      header,
      TAGS.OriginalAttributesSequence,
      originalAttributesItem(header, originalsOf(header, values, removed), encode, options),
    ),
  );
  const outsideId = textValue(header, TAGS.PatientID);
  if (
    outsideId &&
    (outsideId !== options.patient.patientId ||
      textValue(header, TAGS.IssuerOfPatientID) !== (options.patient.issuerOfPatientId ?? ''))
  )
    out.set(
      TAGS.OtherPatientIDsSequence,
      sequenceWithItem(header, TAGS.OtherPatientIDsSequence, otherPatientIdItem(header)),
    );
  return out;
}

/**
 * The new header: meta group as read, then the data set elements in tag order with replacements
 * swapped in or inserted, every other element's bytes as read — or as converted to UTF-8, when
 * the new values need it (textEncoding.ts). Group Length elements (gggg,0000) of the data set are
 * dropped: they would be wrong after the edit and are retired (PS3.5 7.2).
 */
export function rewriteHeader(source: ScannedHeader, options: CoerceOptions): Buffer {
  const values = coercedValues(options);
  const encoding = textEncodingFor(source, [...values.map((v) => v.text), options.modifyingSystem]);
  const header = encoding.convertFile ? convertedToUtf8(source) : source;
  const replaced = replacements(header, values, encoding, options);
  const entries: { tag: number; bytes: Buffer }[] = header.elements
    .filter((e: TopLevelElement) => (e.tag & 0xffff) !== 0 && !replaced.has(e.tag))
    .map((e) => ({ tag: e.tag, bytes: header.bytes.subarray(e.start, e.end) }));
  for (const [t, bytes] of replaced) entries.push({ tag: t, bytes });
  entries.sort((a, b) => a.tag - b.tag);
  return Buffer.concat([
    header.bytes.subarray(0, header.dataSetOffset),
    ...entries.map((e) => e.bytes),
  ]);
}

/**
 * True when `newHeader` (the source's meta group, then its data set rewritten) declares another
 * Specific Character Set (0008,0005) than `source`: then the bytes after the pixel data, copied
 * as read, must hold no text that the new set would read differently.
 */
export function charsetChanged(source: ScannedHeader, newHeader: Buffer): boolean {
  const before = rawValue(source, TAGS.SpecificCharacterSet) ?? Buffer.alloc(0);
  let offset = source.dataSetOffset;
  while (offset < newHeader.length) {
    const element = readHeader(newHeader, offset, source.encoding);
    const at = tag(element.group, element.element);
    const valueStart = offset + element.headerLength;
    if (at === TAGS.SpecificCharacterSet)
      return !newHeader.subarray(valueStart, valueStart + element.length).equals(before);
    // Past it, or (0008,0001)–(0008,0004) oddly of undefined length: taken as changed to be safe.
    if (at > TAGS.SpecificCharacterSet || element.length === UNDEFINED_LENGTH)
      return before.length > 0 || element.length === UNDEFINED_LENGTH;
    offset = valueStart + element.length;
  }
  return before.length > 0;
}
