/**
 * The attributes a DICOMDIR record needs (PS3.3 F.5), read from an instance's header only (up to
 * Pixel Data), so a 2 GB video costs a few kilobytes of reading.
 */
import { open } from 'node:fs/promises';
import dcmjs, { type DicomJsonDataset } from 'dcmjs';

export interface InstanceSummary {
  readonly patientId: string;
  readonly patientName: string;
  readonly patientBirthDate: string;
  readonly patientSex: string;
  readonly studyInstanceUid: string;
  readonly studyDate: string;
  readonly studyTime: string;
  readonly studyDescription: string;
  readonly studyId: string;
  readonly accessionNumber: string;
  readonly modality: string;
  readonly seriesInstanceUid: string;
  readonly seriesNumber: string;
  readonly instanceNumber: string;
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly transferSyntaxUid: string;
  readonly contentDate: string;
  readonly contentTime: string;
  readonly documentTitle: string;
  readonly mimeType: string;
}

const HEADER_READS = [256 * 1024, 4 * 1024 * 1024, 64 * 1024 * 1024];

/** Throws when the file's header cannot be parsed within 64 MB. */
export async function readInstanceSummary(path: string): Promise<InstanceSummary> {
  let lastError: unknown;
  for (const size of HEADER_READS) {
    const head = await readHead(path, size);
    try {
      return summarise(parseHeader(head.bytes, head.complete));
    } catch (error) {
      lastError = error;
      if (head.complete) break;
    }
  }
  throw new Error(`${path}: cannot read the DICOM header (${String(lastError)})`);
}

async function readHead(path: string, size: number): Promise<{ bytes: Buffer; complete: boolean }> {
  const handle = await open(path, 'r');
  try {
    const { size: fileSize } = await handle.stat();
    const length = Math.min(size, fileSize);
    const bytes = Buffer.alloc(length);
    await handle.read(bytes, 0, length, 0);
    return { bytes, complete: length === fileSize };
  } finally {
    await handle.close();
  }
}

function parseHeader(bytes: Buffer, complete: boolean) {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const dict = dcmjs.data.DicomMessage.readFile(buffer as ArrayBuffer, {
    untilTag: '7FE00010',
    includeUntilTagValue: false,
    ignoreErrors: !complete ? false : true,
  });
  return { meta: dict.meta, data: dict.dict };
}

function text(dataSet: DicomJsonDataset, tag: string): string {
  const values = dataSet[tag]?.Value;
  if (!values || values.length === 0) return '';
  return values.map(valueText).join('\\');
}

/** PN values come as { Alphabetic, Ideographic, Phonetic } (PS3.18 F.2.2). */
function valueText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    const pn = value as { Alphabetic?: string; Ideographic?: string; Phonetic?: string };
    return [pn.Alphabetic ?? '', pn.Ideographic ?? '', pn.Phonetic ?? '']
      .join('=')
      .replace(/=+$/, '');
  }
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  return '';
}

function summarise({
  meta,
  data,
}: {
  meta: DicomJsonDataset;
  data: DicomJsonDataset;
}): InstanceSummary {
  const sopInstanceUid = text(data, '00080018') || text(meta, '00020003');
  if (!sopInstanceUid) throw new Error('no SOP Instance UID');
  return {
    patientId: text(data, '00100020'),
    patientName: text(data, '00100010'),
    patientBirthDate: text(data, '00100030'),
    patientSex: text(data, '00100040'),
    studyInstanceUid: text(data, '0020000D'),
    studyDate: text(data, '00080020'),
    studyTime: text(data, '00080030'),
    studyDescription: text(data, '00081030'),
    studyId: text(data, '00200010'),
    accessionNumber: text(data, '00080050'),
    modality: text(data, '00080060'),
    seriesInstanceUid: text(data, '0020000E'),
    seriesNumber: text(data, '00200011'),
    instanceNumber: text(data, '00200013'),
    sopClassUid: text(data, '00080016') || text(meta, '00020002'),
    sopInstanceUid,
    transferSyntaxUid: text(meta, '00020010'),
    contentDate: text(data, '00080023'),
    contentTime: text(data, '00080033'),
    documentTitle: text(data, '00420010'),
    mimeType: text(data, '00420012'),
  };
}
