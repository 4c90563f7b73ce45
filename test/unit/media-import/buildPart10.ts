/**
 * Builds small Part-10 files in memory for unit tests (PS3.10 7.1: preamble, "DICM", meta group,
 * data set), so the reader's tests need no external tool. Integration tests use DCMTK instead.
 */
import { encodeDataSet, tag, type ElementSpec } from '../../../main/core/dimse/dataSet';

export interface TestInstance {
  readonly sopInstanceUid: string;
  readonly patientId: string;
  readonly patientName: string;
  readonly studyUid: string;
  readonly seriesUid: string;
  readonly modality?: string;
  readonly charset?: string;
  /** Pre-encoded PatientName bytes (for non-Latin character sets). */
  readonly patientNameBytes?: Buffer;
  readonly pixelData?: Buffer;
  readonly implicit?: boolean;
  /** More data set elements (sorted in with the rest). */
  readonly extra?: readonly ElementSpec[];
}

const SC_IMAGE = '1.2.840.10008.5.1.4.1.1.7';

export function buildPart10(i: TestInstance): Buffer {
  const syntax = i.implicit ? '1.2.840.10008.1.2' : '1.2.840.10008.1.2.1';
  const metaBody = encodeDataSet(
    [
      { tag: tag(2, 1), vr: 'OB', value: Buffer.from([0, 1]) },
      { tag: tag(2, 2), vr: 'UI', value: SC_IMAGE },
      { tag: tag(2, 3), vr: 'UI', value: i.sopInstanceUid },
      { tag: tag(2, 0x10), vr: 'UI', value: syntax },
      { tag: tag(2, 0x12), vr: 'UI', value: '1.2.3.4' },
    ],
    'explicit',
  );
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(metaBody.length);
  const meta = encodeDataSet([{ tag: tag(2, 0), vr: 'UL', value: groupLength }], 'explicit');
  const elements: ElementSpec[] = [
    { tag: tag(8, 0x16), vr: 'UI', value: SC_IMAGE },
    { tag: tag(8, 0x18), vr: 'UI', value: i.sopInstanceUid },
    { tag: tag(8, 0x20), vr: 'DA', value: '20240102' },
    { tag: tag(8, 0x60), vr: 'CS', value: i.modality ?? 'OT' },
    { tag: tag(0x10, 0x10), vr: 'PN', value: i.patientNameBytes ?? i.patientName },
    { tag: tag(0x10, 0x20), vr: 'LO', value: i.patientId },
    { tag: tag(0x20, 0x0d), vr: 'UI', value: i.studyUid },
    { tag: tag(0x20, 0x0e), vr: 'UI', value: i.seriesUid },
    { tag: tag(0x7fe0, 0x10), vr: 'OW', value: i.pixelData ?? Buffer.alloc(64, 7) },
  ];
  if (i.charset) elements.push({ tag: tag(8, 5), vr: 'CS', value: i.charset });
  elements.push(...(i.extra ?? [])); // encodeDataSet puts them in tag order
  const dataSet = encodeDataSet(elements, i.implicit ? 'implicit' : 'explicit');
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), meta, metaBody, dataSet]);
}
