/**
 * The DICOMDIR's directory records (PS3.3 F.5) for the instances in the local archive folder:
 * PATIENT → STUDY → SERIES → IMAGE (or ENCAP DOC for encapsulated documents), depth first, in
 * the order the instances arrived.
 */
import type { DataSet, ElementValue, StringVr } from './explicitVrLittle';
import type { InstanceSummary } from './instanceSummary';

export interface FileSetEntry {
  /** Referenced File ID components (PS3.3 F.3.2.2). */
  readonly fileId: readonly string[];
  readonly instance: InstanceSummary;
}

export interface RecordNode {
  readonly type: 'PATIENT' | 'STUDY' | 'SERIES' | 'IMAGE' | 'ENCAP DOC';
  /** Record-specific keys, without the structural offset elements. */
  readonly keys: DataSet;
  readonly children: RecordNode[];
}

export const Tag = {
  SpecificCharacterSet: 0x00080005,
  OffsetOfNextRecord: 0x00041400,
  RecordInUseFlag: 0x00041410,
  OffsetOfLowerLevelEntity: 0x00041420,
  DirectoryRecordType: 0x00041430,
  ReferencedFileId: 0x00041500,
  ReferencedSopClassUidInFile: 0x00041510,
  ReferencedSopInstanceUidInFile: 0x00041511,
  ReferencedTransferSyntaxUidInFile: 0x00041512,
} as const;

const ENCAPSULATED_DOCUMENT_PREFIX = '1.2.840.10008.5.1.4.1.1.104.';

function dataSetOf(entries: [number, StringVr, string][]): Map<number, ElementValue> {
  const dataSet = new Map<number, ElementValue>(
    entries.map(([tag, vr, value]) => [tag, { vr, value }] as const),
  );
  // PS3.3 F.5: Specific Character Set (1C) when a record holds more than the default repertoire.
  if (entries.some(([, , value]) => /[^\x20-\x7e]/.test(value))) {
    dataSet.set(Tag.SpecificCharacterSet, { vr: 'CS', value: 'ISO_IR 192' });
  }
  return dataSet;
}

/** PS3.3 F.5.1 */
function patientKeys(i: InstanceSummary): DataSet {
  return dataSetOf([
    [0x00100010, 'PN', i.patientName],
    [0x00100020, 'LO', i.patientId],
  ]);
}

/**
 * PS3.3 F.5.2. Study Date, Time and ID are Type 1 here though only Type 2 in most IODs: an
 * instance without them (e.g. an imported PDF) gets its content date/time, and an ID made from
 * the study's folder name — never an invented date.
 */
function studyKeys(i: InstanceSummary, studyFolder: string): DataSet {
  return dataSetOf([
    [0x00080020, 'DA', i.studyDate || i.contentDate],
    [0x00080030, 'TM', i.studyTime || i.contentTime],
    [0x00080050, 'SH', i.accessionNumber],
    [0x00081030, 'LO', i.studyDescription],
    [0x0020000d, 'UI', i.studyInstanceUid],
    [0x00200010, 'SH', i.studyId || studyFolder],
  ]);
}

/** PS3.3 F.5.3 */
function seriesKeys(i: InstanceSummary): DataSet {
  return dataSetOf([
    [0x00080060, 'CS', i.modality],
    [0x0020000e, 'UI', i.seriesInstanceUid],
    [0x00200011, 'IS', i.seriesNumber],
  ]);
}

/** PS3.3 F.5.4 IMAGE, F.5.30 ENCAP DOC; plus the Referenced File ID and SOP references. */
function leafNode(entry: FileSetEntry): RecordNode {
  const i = entry.instance;
  const isDocument = i.sopClassUid.startsWith(ENCAPSULATED_DOCUMENT_PREFIX);
  const keys = isDocument
    ? dataSetOf([
        [0x00080023, 'DA', i.contentDate],
        [0x00080033, 'TM', i.contentTime],
        [0x00200013, 'IS', i.instanceNumber],
        [0x00420010, 'ST', i.documentTitle],
        [0x00420012, 'LO', i.mimeType || 'application/pdf'],
      ])
    : dataSetOf([[0x00200013, 'IS', i.instanceNumber]]);
  if (isDocument) keys.set(0x0040a043, { vr: 'SQ', items: [] });
  keys.set(Tag.ReferencedFileId, { vr: 'CS', value: entry.fileId.join('\\') });
  keys.set(Tag.ReferencedSopClassUidInFile, { vr: 'UI', value: i.sopClassUid });
  keys.set(Tag.ReferencedSopInstanceUidInFile, { vr: 'UI', value: i.sopInstanceUid });
  keys.set(Tag.ReferencedTransferSyntaxUidInFile, { vr: 'UI', value: i.transferSyntaxUid });
  return { type: isDocument ? 'ENCAP DOC' : 'IMAGE', keys, children: [] };
}

/** Groups entries into the record tree; an instance sent twice appears once (the latest). */
export function recordTree(entries: readonly FileSetEntry[]): RecordNode[] {
  const latest = new Map<string, FileSetEntry>();
  for (const entry of entries) latest.set(entry.instance.sopInstanceUid, entry);
  const patients = new Map<
    string,
    {
      node: RecordNode;
      studies: Map<string, { node: RecordNode; series: Map<string, RecordNode> }>;
    }
  >();
  for (const entry of latest.values()) {
    const i = entry.instance;
    const patientKey = entry.fileId[0] ?? '';
    let patient = patients.get(patientKey);
    if (!patient) {
      patient = {
        node: { type: 'PATIENT', keys: patientKeys(i), children: [] },
        studies: new Map(),
      };
      patients.set(patientKey, patient);
    }
    let study = patient.studies.get(i.studyInstanceUid);
    if (!study) {
      study = {
        node: { type: 'STUDY', keys: studyKeys(i, entry.fileId[1] ?? ''), children: [] },
        series: new Map(),
      };
      patient.studies.set(i.studyInstanceUid, study);
      patient.node.children.push(study.node);
    }
    let series = study.series.get(i.seriesInstanceUid);
    if (!series) {
      series = { type: 'SERIES', keys: seriesKeys(i), children: [] };
      study.series.set(i.seriesInstanceUid, series);
      study.node.children.push(series);
    }
    series.children.push(leafNode(entry));
  }
  return [...patients.values()].map((p) => p.node);
}
