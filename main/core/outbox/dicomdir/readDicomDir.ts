/**
 * Reads back a DICOMDIR this station wrote (Explicit VR Little Endian, items of explicit length,
 * records depth first) into file-set entries, so a new instance can be added and the whole
 * directory rewritten. Anything else (a foreign or damaged DICOMDIR) returns undefined and the
 * caller rebuilds the directory from the files themselves.
 */
import type { FileSetEntry } from './fileSetRecords';
import type { InstanceSummary } from './instanceSummary';
import { LONG_FORM_VRS } from '../../dicom/explicitVrLengths';

const UNDEFINED_LENGTH = 0xffffffff;

type Values = Map<number, string>;

interface Cursor {
  readonly bytes: Buffer;
  offset: number;
}

function readElement(c: Cursor): { tag: number; vr: string; value: Buffer } {
  const { bytes } = c;
  const tag = ((bytes.readUInt16LE(c.offset) << 16) | bytes.readUInt16LE(c.offset + 2)) >>> 0;
  const vr = bytes.toString('latin1', c.offset + 4, c.offset + 6);
  const long = LONG_FORM_VRS.has(vr);
  const length = long ? bytes.readUInt32LE(c.offset + 8) : bytes.readUInt16LE(c.offset + 6);
  if (length === UNDEFINED_LENGTH) throw new Error('undefined length: not written by this station');
  const start = c.offset + (long ? 12 : 8);
  if (start + length > bytes.length) throw new Error('element overruns the file');
  c.offset = start + length;
  return { tag, vr, value: bytes.subarray(start, start + length) };
}

function itemValues(item: Buffer): Values {
  const values: Values = new Map();
  const c: Cursor = { bytes: item, offset: 0 };
  while (c.offset < item.length) {
    const { tag, vr, value } = readElement(c);
    if (vr === 'SQ' || vr === 'OB') continue;
    if (vr === 'UL') values.set(tag, String(value.readUInt32LE(0)));
    else if (vr === 'US') values.set(tag, String(value.readUInt16LE(0)));
    else values.set(tag, value.toString('utf8').replace(/[\0 ]+$/, ''));
  }
  return values;
}

function records(bytes: Buffer): Values[] {
  if (bytes.length < 144 || bytes.toString('latin1', 128, 132) !== 'DICM')
    throw new Error('no DICM');
  const c: Cursor = { bytes, offset: 132 };
  const groupLength = readElement(c).value.readUInt32LE(0);
  c.offset += groupLength;
  while (c.offset < bytes.length) {
    const { tag, value } = readElement(c);
    if (tag !== 0x00041220) continue;
    const out: Values[] = [];
    for (let at = 0; at < value.length;) {
      if (value.readUInt16LE(at) !== 0xfffe || value.readUInt16LE(at + 2) !== 0xe000)
        throw new Error('expected an item');
      const length = value.readUInt32LE(at + 4);
      if (length === UNDEFINED_LENGTH) throw new Error('undefined-length item');
      out.push(itemValues(value.subarray(at + 8, at + 8 + length)));
      at += 8 + length;
    }
    return out;
  }
  return [];
}

const get = (values: Values | undefined, tag: number) => values?.get(tag) ?? '';

/** The entries of a station-written DICOMDIR, or undefined when it cannot be read as one. */
export function readDicomDir(bytes: Buffer): FileSetEntry[] | undefined {
  let all: Values[];
  try {
    all = records(bytes);
  } catch {
    return undefined;
  }
  const entries: FileSetEntry[] = [];
  let patient: Values | undefined;
  let study: Values | undefined;
  let series: Values | undefined;
  for (const record of all) {
    const type = get(record, 0x00041430);
    if (type === 'PATIENT') patient = record;
    else if (type === 'STUDY') study = record;
    else if (type === 'SERIES') series = record;
    else entries.push(entryOf(record, patient, study, series));
  }
  return entries;
}

function entryOf(leaf: Values, patient?: Values, study?: Values, series?: Values): FileSetEntry {
  const instance: InstanceSummary = {
    patientName: get(patient, 0x00100010),
    patientId: get(patient, 0x00100020),
    patientBirthDate: '',
    patientSex: '',
    studyDate: get(study, 0x00080020),
    studyTime: get(study, 0x00080030),
    accessionNumber: get(study, 0x00080050),
    studyDescription: get(study, 0x00081030),
    studyInstanceUid: get(study, 0x0020000d),
    studyId: get(study, 0x00200010),
    modality: get(series, 0x00080060),
    seriesInstanceUid: get(series, 0x0020000e),
    seriesNumber: get(series, 0x00200011),
    instanceNumber: get(leaf, 0x00200013),
    contentDate: get(leaf, 0x00080023),
    contentTime: get(leaf, 0x00080033),
    documentTitle: get(leaf, 0x00420010),
    mimeType: get(leaf, 0x00420012),
    sopClassUid: get(leaf, 0x00041510),
    sopInstanceUid: get(leaf, 0x00041511),
    transferSyntaxUid: get(leaf, 0x00041512),
  };
  return { fileId: get(leaf, 0x00041500).split('\\'), instance };
}

/** Reads the File-set's SOP Instance UID (0002,0003) so a rewrite keeps the same identity. */
export function fileSetUidOf(bytes: Buffer): string | undefined {
  try {
    const c: Cursor = { bytes, offset: 132 };
    const groupLength = readElement(c).value.readUInt32LE(0);
    const end = c.offset + groupLength;
    while (c.offset < end) {
      const { tag, value } = readElement(c);
      if (tag === 0x00020003) return value.toString('latin1').replace(/[\0 ]+$/, '');
    }
  } catch {
    return undefined;
  }
  return undefined;
}
