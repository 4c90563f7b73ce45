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
import { writeHeader, type VrEncoding } from '../dimse/convertSyntax';
import type { Part10Info } from '../dimse/part10';
import { encodeDataSet, tag, type ElementSpec } from '../dimse/dataSet';
import { rawValue, TAGS, textValue } from './readInstance';
import { scanHeaderInto, type ScannedHeader, type TopLevelElement } from './scanHeader';
import { convertedToUtf8 } from './convertCharset';
import { textEncodingFor, type TextEncoding } from './textEncoding';
import { assertSurveyed, type SurveyedIdentity } from './surveyedIdentity';
import type { OpenFile } from './types';

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

/**
 * The previous value of each coerced attribute, as stored (empty when it was absent). When the
 * whole file went to UTF-8, that is the converted text: the same characters, in the file's new
 * set. Keeping the original bytes would need the item to declare their set in its own (0008,0005)
 * (PS3.5 7.5.3), which readers do not all honour: DCMTK 3.6.7's `dcmdump +U8` fails on it.
 */
function originalsOf(header: ScannedHeader, values: readonly CoercedValue[]): ElementSpec[] {
  return values.map((v) => {
    const element = header.elements.find((e) => e.tag === v.tag);
    return {
      tag: v.tag,
      vr: element?.vr ?? v.vr,
      value: rawValue(header, v.tag) ?? Buffer.alloc(0),
    };
  });
}

/** Appends one item to a top-level sequence, keeping its existing items' bytes (defined length). */
function sequenceWithItem(
  header: ScannedHeader,
  sequenceTag: number,
  item: readonly ElementSpec[],
  encoding: VrEncoding,
  encode: (text: string) => Buffer,
): Buffer {
  const itemBody = encodeDataSet(item, encoding, encode);
  const itemHeader = Buffer.alloc(8);
  itemHeader.writeUInt32LE(0xe000fffe, 0);
  itemHeader.writeUInt32LE(itemBody.length, 4);
  const existing = header.elements.find((e) => e.tag === sequenceTag);
  const oldItems = existing
    ? header.bytes.subarray(
        existing.valueStart,
        existing.undefinedLength ? existing.end - 8 : existing.end,
      )
    : Buffer.alloc(0);
  const length = oldItems.length + 8 + itemBody.length;
  const head = writeHeader(sequenceTag >>> 16, sequenceTag & 0xffff, 'SQ', length, encoding);
  return Buffer.concat([head, oldItems, itemHeader, itemBody]);
}

/**
 * Encoded replacement elements, keyed by tag. `header` is the file as it will be written: its
 * text already in UTF-8 when the whole file is converted.
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
  const outsideId = textValue(header, TAGS.PatientID);
  const outsideIssuer = textValue(header, TAGS.IssuerOfPatientID);
  const original: ElementSpec[] = [
    {
      tag: tag(0x0400, 0x0550),
      vr: 'SQ',
      value: [originalsOf(header, values)],
    },
    { tag: tag(0x0400, 0x0562), vr: 'DT', value: dicomDateTime(options.now ?? new Date()) },
    { tag: tag(0x0400, 0x0563), vr: 'LO', value: options.modifyingSystem },
    { tag: tag(0x0400, 0x0564), vr: 'LO', value: outsideIssuer },
    { tag: tag(0x0400, 0x0565), vr: 'CS', value: 'COERCE' },
  ];
  const seq = (t: number, item: ElementSpec[]) =>
    sequenceWithItem(header, t, item, header.encoding, encode);
  out.set(TAGS.OriginalAttributesSequence, seq(TAGS.OriginalAttributesSequence, original));
  if (
    outsideId &&
    (outsideId !== options.patient.patientId ||
      outsideIssuer !== (options.patient.issuerOfPatientId ?? ''))
  )
    out.set(
      TAGS.OtherPatientIDsSequence,
      seq(TAGS.OtherPatientIDsSequence, [
        { tag: TAGS.PatientID, vr: 'LO', value: rawValue(header, TAGS.PatientID) ?? '' },
        {
          tag: TAGS.IssuerOfPatientID,
          vr: 'LO',
          value: rawValue(header, TAGS.IssuerOfPatientID) ?? '',
        },
        { tag: tag(0x0010, 0x0022), vr: 'CS', value: 'TEXT' },
      ]),
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
  const encoding = textEncodingFor(
    source,
    values.map((v) => v.text),
  );
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
 * Writes the new header, then the source's bytes from its pixel data on: first those the scan
 * read already (`read`, the file from offset 0), in the same write as the header, then the rest
 * in chunks of at most 1 MiB through `chunk`. A file under 1 MiB is one read and one write.
 */
async function writeCoerced(
  from: SourceFile,
  newHeader: Buffer,
  scanned: { readonly header: ScannedHeader; readonly read: Buffer },
  chunk: Buffer,
  to: TargetFile,
): Promise<void> {
  const { pixelDataOffset: start, fileSize: end } = scanned.header;
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
