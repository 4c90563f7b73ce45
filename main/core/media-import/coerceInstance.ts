/**
 * Reconciliation of one outside instance to a local patient (IHE Import Reconciliation Workflow,
 * RAD-66/67 semantics): Patient ID, Issuer, Name, Birth Date, Sex — and Accession Number when an
 * import order gives one — are coerced; the previous values go into a new item of the Original
 * Attributes Sequence (0400,0561; PS3.3 C.12.1.1.9, reason COERCE) and the outside ID into Other
 * Patient IDs Sequence (0010,1002; PS3.3 C.7.1.1). Everything else is kept byte for byte: the
 * meta group and every untouched element are copied as read, and the pixel data is streamed from
 * the source file in chunks, never held in memory whole.
 *
 * Durability is the delivery's job, not this function's: every caller hands the result to the
 * outbox (enqueue with move), which fsyncs the data, then renames it into its spool and fsyncs
 * the folder — the one moment an import may be called saved. Syncing here as well cost two more
 * device flushes per instance (~4 ms each on the bench disk: 15 of 36 ms per instance of a
 * 2,000-instance import, bench/import). A crash mid-import leaves at most a partial file in that
 * run's work folder, which no later run reads.
 */
import { asyncFiles, type CoerceFiles, type SourceFile, type TargetFile } from './coerceFiles';
import {
  convertElement,
  NeedMoreData,
  readHeader,
  UNDEFINED_LENGTH,
  writeHeader,
  type VrEncoding,
} from '../dimse/convertSyntax';
import { ProtocolError } from '../dimse/errors';
import type { Part10Info } from '../dimse/part10';
import { encodeDataSet, tag, type ElementSpec } from '../dimse/dataSet';
import { rawValue, TAGS, textValue } from './readInstance';
import { scanHeaderInto, type ScannedHeader, type TopLevelElement } from './scanHeader';
import { assertNoTextAfterPixelData, convertedToUtf8 } from './convertCharset';
import { textEncodingFor, type TextEncoding } from './textEncoding';
import { assertSurveyed, type SurveyedIdentity } from './surveyedIdentity';
import { MediaFileError, type OpenFile } from './types';

/** The local patient the outside data is reconciled to. */
export interface LocalPatient {
  readonly patientId: string;
  readonly issuerOfPatientId?: string;
  /** DICOM PN form, e.g. "DOE^JANE". */
  readonly name: string;
  /** DA, YYYYMMDD, or '' when unknown. */
  readonly birthDate?: string;
  /** M, F, O or ''. */
  readonly sex?: string;
}

export interface CoerceOptions {
  readonly patient: LocalPatient;
  readonly accessionNumber?: string;
  /** Modifying System (0400,0563), e.g. the station's AE title. */
  readonly modifyingSystem: string;
  readonly now?: Date;
  readonly openFile?: OpenFile;
  /** How files are opened, written and removed; default: asynchronously, through `openFile`. */
  readonly files?: CoerceFiles;
  /**
   * The instance as surveyed, which the file must still be (surveyedIdentity.ts); the imports
   * always pass it. Absent: the file is coerced as found.
   */
  readonly expected?: SurveyedIdentity;
}

export interface CoerceResult {
  readonly target: string;
  readonly sopInstanceUid: string;
  /**
   * The target as the outbox would read it (meta group copied as read, so the same syntax, UIDs
   * and data set offset; its size as written): enqueue need not open it again.
   */
  readonly part10: Part10Info;
  /** Offsets of (7FE0,0010) in the source and the target (undefined: no pixel data). */
  readonly sourcePixelDataOffset: number | undefined;
  readonly targetPixelDataOffset: number | undefined;
}

const COPY_CHUNK = 1024 * 1024;

/**
 * Copy buffers kept for the next instance: a fresh 1 MiB buffer per instance was 2 GB of
 * allocations per 2,000-instance disc, and V8 collects garbage by external memory too.
 * A few instances are coerced at once (importPipeline), so a few buffers are kept.
 */
const spareChunks: Buffer[] = [];
const MAX_SPARE_CHUNKS = 8;

function takeChunk(): Buffer {
  return spareChunks.pop() ?? Buffer.allocUnsafe(COPY_CHUNK);
}

function giveBackChunk(chunk: Buffer): void {
  if (spareChunks.length < MAX_SPARE_CHUNKS) spareChunks.push(chunk);
}

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
function charsetChanged(source: ScannedHeader, newHeader: Buffer): boolean {
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

/**
 * Writes the new header, then the source's bytes from its pixel data on: first those the scan
 * read already (`read`, the file from offset 0), in the same write as the header, then the rest
 * in chunks of at most 1 MiB through `chunk`. A file under 1 MiB is one read and one write.
 * Throws MediaFileError, before writing, when the new header declares another character set and
 * what follows the pixel data may hold text in the old one (convertCharset.ts).
 */
async function writeCoerced(
  from: SourceFile,
  newHeader: Buffer,
  scanned: { readonly header: ScannedHeader; readonly read: Buffer },
  chunk: Buffer,
  to: TargetFile,
): Promise<void> {
  const { pixelDataOffset: start, fileSize: end } = scanned.header;
  if (charsetChanged(scanned.header, newHeader))
    await assertNoTextAfterPixelData(from, scanned.header);
  if (start === undefined || start >= end) {
    await writeAll(to, [newHeader]);
    return;
  }
  let at = Math.max(start, Math.min(scanned.read.length, end));
  await writeAll(to, [newHeader, scanned.read.subarray(start, at)]);
  while (at < end) {
    const { bytesRead } = await from.read(chunk, 0, Math.min(chunk.length, end - at), at);
    if (bytesRead === 0) throw new Error('source file shrank while being copied');
    await writeAll(to, [chunk.subarray(0, bytesRead)]);
    at += bytesRead;
  }
}

/** writev until every byte is written (a short write is legal, if rare, for regular files). */
async function writeAll(to: TargetFile, buffers: Buffer[]): Promise<void> {
  let rest = buffers;
  while (rest.length > 0) {
    let { bytesWritten } = await to.writev(rest);
    const left: Buffer[] = [];
    for (const buffer of rest) {
      if (bytesWritten >= buffer.length) bytesWritten -= buffer.length;
      else {
        left.push(buffer.subarray(bytesWritten));
        bytesWritten = 0;
      }
    }
    rest = left;
  }
}

/**
 * Coerces `source` (a file already confined to the medium) into `target`, which must not exist
 * yet (never overwritten). Throws MediaFileError when the source cannot be read safely or the new
 * values cannot be written in its character set; on any failure no target file is left behind.
 * The target is complete when this resolves but not yet fsynced: see the module comment.
 */
export async function coerceInstance(
  source: string,
  target: string,
  options: CoerceOptions,
): Promise<CoerceResult> {
  const files = options.files ?? asyncFiles(options.openFile);
  const input = await files.openSource(source);
  const chunk = takeChunk();
  let created = false;
  try {
    const scanned = await scanHeaderInto(input, chunk);
    const { header } = scanned;
    if (options.expected) assertSurveyed(options.expected, header);
    const newHeader = rewriteHeader(header, options);
    const output = await files.createTarget(target);
    created = true;
    try {
      await writeCoerced(input, newHeader, scanned, chunk, output);
    } finally {
      await output.close();
    }
    const copied =
      header.pixelDataOffset === undefined ? 0 : header.fileSize - header.pixelDataOffset;
    return {
      target,
      sopInstanceUid: header.sopInstanceUid,
      part10: {
        path: target,
        sopClassUid: header.sopClassUid,
        sopInstanceUid: header.sopInstanceUid,
        transferSyntaxUid: header.transferSyntaxUid,
        dataSetOffset: header.dataSetOffset,
        fileSize: newHeader.length + Math.max(0, copied),
      },
      sourcePixelDataOffset: header.pixelDataOffset,
      targetPixelDataOffset: header.pixelDataOffset === undefined ? undefined : newHeader.length,
    };
  } catch (error) {
    if (created) await files.remove(target);
    throw error;
  } finally {
    giveBackChunk(chunk);
    await input.close();
  }
}
