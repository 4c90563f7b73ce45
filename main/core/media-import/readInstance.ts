/**
 * Header-only reading of one instance on a medium: opens the file with the injected opener, scans
 * its header (scanHeader.ts) and decodes the top-level patient/study/series attributes with the
 * file's Specific Character Set (PS3.5 6.1, PS3.3 C.12.1.1.2). Pixel data is never read.
 */
import {
  decodePersonName,
  decodeText,
  parseSpecificCharacterSet,
  type SpecificCharacterSet,
} from '../dicom/charset';
import type { OpenSource } from './coerceFiles';
import { mapBounded } from './mapBounded';
import { scanHeader, type ScannedHeader, type TopLevelElement } from './scanHeader';
import { MediaFileError, type InstanceHeader, type OpenFile } from './types';

/** Tags read for browsing and grouping (PS3.6 keywords). */
export const TAGS = {
  SpecificCharacterSet: 0x00080005,
  StudyDate: 0x00080020,
  AccessionNumber: 0x00080050,
  Modality: 0x00080060,
  StudyDescription: 0x00081030,
  SeriesDescription: 0x0008103e,
  PatientName: 0x00100010,
  PatientID: 0x00100020,
  IssuerOfPatientID: 0x00100021,
  PatientBirthDate: 0x00100030,
  PatientSex: 0x00100040,
  OtherPatientIDsSequence: 0x00101002,
  StudyInstanceUID: 0x0020000d,
  SeriesInstanceUID: 0x0020000e,
  SeriesNumber: 0x00200011,
  InstanceNumber: 0x00200013,
  OriginalAttributesSequence: 0x04000561,
} as const;

/**
 * Per header, its elements by tag and its parsed character set, made once: browsing decodes ~16
 * attributes per instance, and a linear search and a charset parse for each was a tenth of
 * reading a 2,000-instance disc (cpu profile of readMedia).
 */
interface HeaderIndex {
  readonly byTag: ReadonlyMap<number, TopLevelElement>;
  charset?: SpecificCharacterSet;
}
const indexes = new WeakMap<ScannedHeader, HeaderIndex>();

function indexOf(header: ScannedHeader): HeaderIndex {
  let index = indexes.get(header);
  if (!index) {
    const byTag = new Map<number, TopLevelElement>();
    // The first element with a tag wins, as a search in file order would find it.
    for (const element of header.elements)
      if (!byTag.has(element.tag)) byTag.set(element.tag, element);
    index = { byTag };
    indexes.set(header, index);
  }
  return index;
}

/** The raw value bytes of a top-level element, or undefined when absent. */
export function rawValue(header: ScannedHeader, tag: number): Buffer | undefined {
  const element = indexOf(header).byTag.get(tag);
  if (!element || element.undefinedLength) return undefined;
  return header.bytes.subarray(element.valueStart, element.end);
}

function charsetOf(header: ScannedHeader): SpecificCharacterSet {
  const index = indexOf(header);
  index.charset ??= parseSpecificCharacterSet(
    rawValue(header, TAGS.SpecificCharacterSet)?.toString('latin1'),
  );
  return index.charset;
}

/** Decoded text of a top-level element's first value ('' when absent). */
export function textValue(header: ScannedHeader, tag: number): string {
  const bytes = rawValue(header, tag);
  if (!bytes) return '';
  const charset = charsetOf(header);
  if (tag === TAGS.PatientName) return decodePersonName(bytes, charset).alphabetic;
  return (decodeText(bytes, charset).split('\\')[0] ?? '').replace(/[\0 ]+$/, '').trim();
}

/** Builds the browsing view of a scanned header. */
export function instanceOf(path: string, header: ScannedHeader): InstanceHeader {
  const text = (tag: number): string => textValue(header, tag);
  const studyInstanceUid = text(TAGS.StudyInstanceUID);
  const seriesInstanceUid = text(TAGS.SeriesInstanceUID);
  if (!studyInstanceUid || !seriesInstanceUid)
    throw new MediaFileError('header lacks the Study or Series Instance UID');
  return {
    path,
    fileSize: header.fileSize,
    sopClassUid: header.sopClassUid,
    sopInstanceUid: header.sopInstanceUid,
    transferSyntaxUid: header.transferSyntaxUid,
    patientId: text(TAGS.PatientID),
    issuerOfPatientId: text(TAGS.IssuerOfPatientID),
    patientName: text(TAGS.PatientName),
    patientBirthDate: text(TAGS.PatientBirthDate),
    patientSex: text(TAGS.PatientSex),
    studyInstanceUid,
    studyDate: text(TAGS.StudyDate),
    studyDescription: text(TAGS.StudyDescription),
    accessionNumber: text(TAGS.AccessionNumber),
    seriesInstanceUid,
    seriesNumber: text(TAGS.SeriesNumber),
    seriesDescription: text(TAGS.SeriesDescription),
    modality: text(TAGS.Modality),
    instanceNumber: text(TAGS.InstanceNumber),
  };
}

/**
 * Opens `path` (already checked to be inside the media root) and reads its header. Throws
 * MediaFileError with the reason when the file is not a readable Part-10 instance.
 */
export async function readInstanceHeader(path: string, openFile: OpenFile | OpenSource) {
  const handle = await openFile(path);
  try {
    const header = await scanHeader(handle);
    return { instance: instanceOf(path, header), header };
  } finally {
    await handle.close();
  }
}

/** A header read: the instance, or why it cannot be read (MediaFileError: the file's fault). */
export type HeaderOutcome = InstanceHeader | Error;

/** Files read at once by asynchronous opens (headers are small; the medium is the bottleneck). */
const HEADER_CONCURRENCY = 8;

/** Reads every path's header; never throws for a file, each outcome says. */
export function readHeaders(
  paths: readonly string[],
  openFile: OpenFile | OpenSource,
): Promise<HeaderOutcome[]> {
  return mapBounded(paths, HEADER_CONCURRENCY, (path) =>
    readInstanceHeader(path, openFile).then(
      (read) => read.instance,
      (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
    ),
  );
}
