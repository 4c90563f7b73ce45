/**
 * Headers with undefined-length sequences (PS3.5 7.5.2, common on outside discs) are walked item
 * by item, and coercing an already coerced file appends a second Original Attributes item instead
 * of replacing the first (PS3.3 C.12.1.1.9: the history is kept).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDataSet, tag } from '../../../main/core/dimse/dataSet';
import { coerceInstance } from '../../../main/core/media-import/coerceInstance';
import { readInstanceHeader } from '../../../main/core/media-import/readInstance';
import { openForReading } from '../../../main/core/media-import/types';
import { buildPart10 } from './buildPart10';

const work = mkdtempSync(join(tmpdir(), 'seq-unit-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** (0008,1140) Referenced Image Sequence, undefined length, one undefined-length item. */
function undefinedLengthSequence(): Buffer {
  const uid = Buffer.from('1.2.3.4.5\0', 'latin1');
  const inner = Buffer.alloc(8);
  inner.writeUInt16LE(0x0008, 0);
  inner.writeUInt16LE(0x1155, 2);
  inner.write('UI', 4, 'latin1');
  inner.writeUInt16LE(uid.length, 6);
  const sq = Buffer.alloc(12);
  sq.writeUInt16LE(0x0008, 0);
  sq.writeUInt16LE(0x1140, 2);
  sq.write('SQ', 4, 'latin1');
  sq.writeUInt32LE(0xffffffff, 8);
  const marker = (element: number, length: number) => {
    const b = Buffer.alloc(8);
    b.writeUInt16LE(0xfffe, 0);
    b.writeUInt16LE(element, 2);
    b.writeUInt32LE(length, 4);
    return b;
  };
  return Buffer.concat([
    sq,
    marker(0xe000, 0xffffffff),
    inner,
    uid,
    marker(0xe00d, 0),
    marker(0xe0dd, 0),
  ]);
}

/** Inserts the sequence just before PatientName (0010,0010), keeping tag order. */
function withSequence(file: Buffer): Buffer {
  const at = file.indexOf(Buffer.from([0x10, 0x00, 0x10, 0x00, 0x50, 0x4e]));
  return Buffer.concat([file.subarray(0, at), undefinedLengthSequence(), file.subarray(at)]);
}

describe('undefined-length sequences and repeated coercion', () => {
  it('reads past the sequence, keeps it byte for byte, and appends to the history', async () => {
    const source = join(work, 'src');
    const original = withSequence(
      buildPart10({
        sopInstanceUid: '1.2.826.0.1.3680043.2.1143.6.1',
        patientId: 'OUT-1',
        patientName: 'FIRST^NAME',
        studyUid: '1.2.826.0.1.3680043.2.1143.6.2',
        seriesUid: '1.2.826.0.1.3680043.2.1143.6.3',
      }),
    );
    writeFileSync(source, original);
    const { instance } = await readInstanceHeader(source, openForReading);
    expect(instance.patientName).toBe('FIRST^NAME');
    const once = join(work, 'once');
    const twice = join(work, 'twice');
    const options = { modifyingSystem: 'CAPTURE1' };
    await coerceInstance(source, once, {
      ...options,
      patient: { patientId: 'L-1', name: 'LOCAL^ONE' },
    });
    await coerceInstance(once, twice, {
      ...options,
      patient: { patientId: 'L-2', name: 'LOCAL^TWO' },
    });
    const bytes = readFileSync(twice);
    expect(bytes.includes(undefinedLengthSequence())).toBe(true);
    const { header } = await readInstanceHeader(twice, openForReading);
    const dataSet = readDataSet(
      bytes.subarray(header.dataSetOffset, header.pixelDataOffset),
      'explicit',
    );
    const history = dataSet.get(tag(0x0400, 0x0561))?.items ?? [];
    const previousIds = history.map((item) =>
      item
        .get(tag(0x0400, 0x0550))
        ?.items?.[0]?.get(tag(0x0010, 0x0020))
        ?.value.toString('latin1')
        .trim(),
    );
    expect(previousIds).toEqual(['OUT-1', 'L-1']);
    const otherIds = (dataSet.get(tag(0x0010, 0x1002))?.items ?? []).map((item) =>
      item.get(tag(0x0010, 0x0020))?.value.toString('latin1').trim(),
    );
    expect(otherIds).toEqual(['OUT-1', 'L-1']);
  });
});
