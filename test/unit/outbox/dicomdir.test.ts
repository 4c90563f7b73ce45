import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeDicomDir } from '../../../main/core/outbox/dicomdir/encodeDicomDir';
import {
  componentFor,
  fileIdFor,
  isValidComponent,
} from '../../../main/core/outbox/dicomdir/fileSetNames';
import { recordTree } from '../../../main/core/outbox/dicomdir/fileSetRecords';
import { LocalFileSet } from '../../../main/core/outbox/dicomdir/LocalFileSet';
import { readDicomDir } from '../../../main/core/outbox/dicomdir/readDicomDir';
import { testUid, writeInstance } from './instanceFixture';

describe('DICOMDIR (PS3.10 8, PS3.3 F)', () => {
  it('names files with 8-character uppercase components derived from the UIDs', () => {
    const id = fileIdFor({
      patientId: '../etc/passwd',
      patientName: 'Doe^John',
      studyInstanceUid: '1.2.3',
      seriesInstanceUid: '1.2.3.4',
      sopInstanceUid: '1.2.3.4.5',
    });
    expect(id.map((c) => c[0])).toEqual(['P', 'S', 'E', 'I']);
    for (const component of id) expect(isValidComponent(component)).toBe(true);
    expect(componentFor('I', '1.2.3.4.5')).toBe(id[3]);
  });

  it('round-trips: entries written are the entries read, the same instance once', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'dicomdir-'));
    const fileSet = new LocalFileSet(join(folder, 'archive'));
    const a = await writeInstance(join(folder, 'a.dcm'), {
      sopInstanceUid: testUid(1),
      patientName: 'Łukasz^Żółw',
    });
    const b = await writeInstance(join(folder, 'b.dcm'), {
      sopInstanceUid: testUid(2),
      patientId: 'P2',
    });
    await fileSet.add(a);
    await fileSet.add(b);
    await fileSet.add(a); // a resend lands on the same file and the same record
    const entries = readDicomDir(await readFile(join(folder, 'archive', 'DICOMDIR')));
    expect(entries?.map((e) => e.instance.sopInstanceUid)).toEqual([testUid(1), testUid(2)]);
    expect(entries?.[0]?.instance.patientName).toBe('Łukasz^Żółw');
    await rm(folder, { recursive: true, force: true });
  });

  it('links records by byte offsets that point at item tags', () => {
    const instance = {
      patientId: 'P',
      patientName: 'N',
      patientBirthDate: '',
      patientSex: '',
      studyInstanceUid: '1.2',
      studyDate: '20261128',
      studyTime: '1015',
      studyDescription: '',
      studyId: '1',
      accessionNumber: '',
      modality: 'XC',
      seriesInstanceUid: '1.2.3',
      seriesNumber: '1',
      instanceNumber: '1',
      sopClassUid: '1.2.840.10008.5.1.4.1.1.77.1.4',
      sopInstanceUid: '1.2.3.4',
      transferSyntaxUid: '1.2.840.10008.1.2.4.50',
      contentDate: '',
      contentTime: '',
      documentTitle: '',
      mimeType: '',
    };
    const bytes = encodeDicomDir({
      roots: recordTree([{ fileId: fileIdFor(instance), instance }]),
      fileSetUid: '2.25.1',
      fileSetId: 'TEST',
      implementationClassUid: '2.25.2',
    });
    const offsets: number[] = [];
    for (
      let at = bytes.indexOf(Buffer.from([0xfe, 0xff, 0x00, 0xe0]));
      at >= 0;
      at = bytes.indexOf(Buffer.from([0xfe, 0xff, 0x00, 0xe0]), at + 1)
    )
      offsets.push(at);
    expect(offsets).toHaveLength(4);
    // (0004,1420) lower-level offset of each record is the next item's position.
    const lower = Buffer.from([0x04, 0x00, 0x20, 0x14, 0x55, 0x4c, 0x04, 0x00]);
    const values: number[] = [];
    for (let at = bytes.indexOf(lower); at >= 0; at = bytes.indexOf(lower, at + 1))
      values.push(bytes.readUInt32LE(at + 8));
    expect(values).toEqual([offsets[1], offsets[2], offsets[3], 0]);
  });
});
