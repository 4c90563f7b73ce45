/**
 * Tiny, valid Secondary Capture instances (4×4 MONOCHROME2) written with the outbox's own
 * Explicit VR encoder, so unit tests need no DCMTK and integration tests can make hundreds fast.
 */
import { writeFile } from 'node:fs/promises';
import {
  encodeDataSet,
  encodePart10,
  type DataSet,
  type ElementValue,
} from '../../../main/core/outbox/dicomdir/explicitVrLittle';

export const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';

export interface InstanceFields {
  readonly sopInstanceUid: string;
  readonly sopClassUid?: string;
  readonly patientId?: string;
  readonly patientName?: string;
  readonly studyInstanceUid?: string;
  readonly seriesInstanceUid?: string;
  readonly instanceNumber?: number;
  /** Extra pixel bytes, to make bigger instances for benchmarks (rows grow to fit). */
  readonly pixelBytes?: number;
}

const str = (vr: 'CS' | 'DA' | 'IS' | 'LO' | 'PN' | 'SH' | 'TM' | 'UI', value: string) =>
  ({ vr, value }) as ElementValue;
const us = (value: number): ElementValue => ({ vr: 'US', value });

export function instanceBytes(fields: InstanceFields): Buffer {
  const sopClassUid = fields.sopClassUid ?? SECONDARY_CAPTURE;
  const columns = 4;
  const rows = Math.max(4, Math.ceil((fields.pixelBytes ?? 16) / columns / 2) * 2);
  const dataSet: DataSet = new Map<number, ElementValue>([
    [
      0x00080005,
      str('CS', /[^\x20-\x7e]/.test(fields.patientName ?? '') ? 'ISO_IR 192' : 'ISO_IR 100'),
    ],
    [0x00080016, str('UI', sopClassUid)],
    [0x00080018, str('UI', fields.sopInstanceUid)],
    [0x00080020, str('DA', '20261128')],
    [0x00080030, str('TM', '101500')],
    [0x00080050, str('SH', 'ACC1')],
    [0x00080060, str('CS', 'OT')],
    [0x00080064, str('CS', 'WSD')],
    [0x00100010, str('PN', fields.patientName ?? 'Test^Patient')],
    [0x00100020, str('LO', fields.patientId ?? 'PID-1')],
    [0x00100030, str('DA', '19700101')],
    [0x00100040, str('CS', 'O')],
    [0x0020000d, str('UI', fields.studyInstanceUid ?? '1.2.826.0.1.3680043.10.1.1')],
    [0x0020000e, str('UI', fields.seriesInstanceUid ?? '1.2.826.0.1.3680043.10.1.1.1')],
    [0x00200010, str('SH', 'S1')],
    [0x00200011, str('IS', '1')],
    [0x00200013, str('IS', String(fields.instanceNumber ?? 1))],
    [0x00200020, str('CS', '')],
    [0x00280002, us(1)],
    [0x00280004, str('CS', 'MONOCHROME2')],
    [0x00280010, us(rows)],
    [0x00280011, us(columns)],
    [0x00280100, us(8)],
    [0x00280101, us(8)],
    [0x00280102, us(7)],
    [0x00280103, us(0)],
    [0x7fe00010, { vr: 'OB', value: new Uint8Array(rows * columns).fill(0x80) }],
  ]);
  return encodePart10({
    mediaStorageSopClassUid: sopClassUid,
    mediaStorageSopInstanceUid: fields.sopInstanceUid,
    implementationClassUid: '1.2.826.0.1.3680043.10.2',
    dataSet: encodeDataSet(dataSet),
  });
}

export async function writeInstance(path: string, fields: InstanceFields): Promise<string> {
  await writeFile(path, instanceBytes(fields));
  return path;
}

/** A UID under a test root, unique per `n`. */
export const testUid = (n: number, run = 1) => `1.2.826.0.1.3680043.10.9.${run}.${n}`;
