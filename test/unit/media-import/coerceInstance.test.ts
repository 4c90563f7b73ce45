import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDataSet, tag, type DataSet } from '../../../main/core/dimse/dataSet';
import { readPart10Info } from '../../../main/core/dimse/part10';
import { syncFiles } from '../../../main/core/media-import/coerceFiles';
import { coerceInstance } from '../../../main/core/media-import/coerceInstance';
import { readInstanceHeader } from '../../../main/core/media-import/readInstance';
import { MediaFileError, openForReading } from '../../../main/core/media-import/types';
import { buildPart10 } from './buildPart10';

const work = mkdtempSync(join(tmpdir(), 'coerce-unit-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const pixels = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7) % 251));
const patient = {
  patientId: 'LOC-1',
  issuerOfPatientId: 'HOSP',
  name: 'LOCAL^LISA',
  birthDate: '19800101',
  sex: 'F',
};

function source(name: string, implicit = false, charset?: string): string {
  const path = join(work, name);
  writeFileSync(
    path,
    buildPart10({
      sopInstanceUid: '1.2.826.0.1.3680043.2.1143.7.1',
      patientId: 'OUT-9',
      patientName: 'OUTSIDE^OTTO',
      studyUid: '1.2.826.0.1.3680043.2.1143.7.2',
      seriesUid: '1.2.826.0.1.3680043.2.1143.7.3',
      pixelData: pixels,
      implicit,
      charset,
    }),
  );
  return path;
}

const privateBlob = Buffer.alloc(1536 * 1024, 0x5a);

/** A file whose header (a 1.5 MiB private element) is larger than coercion's first read. */
function bigHeaderSource(): string {
  const path = join(work, 'big-header');
  writeFileSync(
    path,
    buildPart10({
      sopInstanceUid: '1.2.826.0.1.3680043.2.1143.7.9',
      patientId: 'OUT-9',
      patientName: 'OUTSIDE^OTTO',
      studyUid: '1.2.826.0.1.3680043.2.1143.7.2',
      seriesUid: '1.2.826.0.1.3680043.2.1143.7.3',
      pixelData: pixels,
      extra: [
        { tag: tag(0x0009, 0x0010), vr: 'LO', value: 'CAPTURE TEST' },
        { tag: tag(0x0009, 0x1010), vr: 'OB', value: privateBlob },
      ],
    }),
  );
  return path;
}

const text = (ds: DataSet | undefined, t: number): string =>
  ds
    ?.get(t)
    ?.value.toString('utf8')
    .replace(/[\0 ]+$/, '') ?? '';

async function coerced(name: string, implicit: boolean, localName = patient.name) {
  const target = join(work, `${name}.out`);
  const result = await coerceInstance(source(name, implicit), target, {
    patient: { ...patient, name: localName },
    accessionNumber: 'ACC-77',
    modifyingSystem: 'CAPTURE1',
    now: new Date('2026-01-02T03:04:05.678Z'),
  });
  const { instance, header } = await readInstanceHeader(target, openForReading);
  const bytes = readFileSync(target);
  const dataSet = readDataSet(
    bytes.subarray(header.dataSetOffset, header.pixelDataOffset),
    implicit ? 'implicit' : 'explicit',
  );
  return { result, instance, header, bytes, dataSet };
}

describe.each([false, true])('coerceInstance (implicit VR: %s)', (implicit) => {
  it('coerces the patient, keeps the originals and copies the pixel data byte for byte', async () => {
    const { result, instance, bytes, dataSet } = await coerced(`a${String(implicit)}`, implicit);
    expect(instance).toMatchObject({
      patientId: 'LOC-1',
      issuerOfPatientId: 'HOSP',
      patientName: 'LOCAL^LISA',
      patientBirthDate: '19800101',
      patientSex: 'F',
      accessionNumber: 'ACC-77',
      sopInstanceUid: '1.2.826.0.1.3680043.2.1143.7.1',
      studyInstanceUid: '1.2.826.0.1.3680043.2.1143.7.2',
      seriesInstanceUid: '1.2.826.0.1.3680043.2.1143.7.3',
    });
    // What the outbox is handed instead of reading the file again is what it would have read.
    expect(result.part10).toEqual(await readPart10Info(result.target));
    const original = dataSet.get(tag(0x0400, 0x0561))?.items?.[0];
    expect(text(original, tag(0x0400, 0x0565))).toBe('COERCE');
    expect(text(original, tag(0x0400, 0x0563))).toBe('CAPTURE1');
    expect(text(original, tag(0x0400, 0x0562))).toBe('20260102030405.678000+0000');
    const modified = original?.get(tag(0x0400, 0x0550))?.items?.[0];
    expect(text(modified, tag(0x0010, 0x0020))).toBe('OUT-9');
    expect(text(modified, tag(0x0010, 0x0010))).toBe('OUTSIDE^OTTO');
    const other = dataSet.get(tag(0x0010, 0x1002))?.items?.[0];
    expect(text(other, tag(0x0010, 0x0020))).toBe('OUT-9');
    const offset = result.targetPixelDataOffset ?? 0;
    const src = readFileSync(join(work, `a${String(implicit)}`));
    expect(bytes.subarray(offset).equals(src.subarray(result.sourcePixelDataOffset))).toBe(true);
    expect(bytes.subarray(0, 132 + 10).equals(src.subarray(0, 142))).toBe(true);
  });
});

describe('coerceInstance character sets', () => {
  it('declares ISO_IR 192 when a default-repertoire file receives a non-ASCII name', async () => {
    const { instance, dataSet } = await coerced('utf', false, 'MÜLLER^JÖRG');
    expect(instance.patientName).toBe('MÜLLER^JÖRG');
    expect(text(dataSet, tag(0x0008, 0x0005))).toBe('ISO_IR 192');
  });
});

/** Both forms of file calls: asynchronous (main thread) and synchronous (the import's worker). */
describe.each([
  ['asynchronous', undefined],
  ['synchronous', syncFiles],
])('coerceInstance refusals with %s files', (form, files) => {
  it('refuses a name its character set cannot carry and leaves no file behind', async () => {
    const path = source(`greek-${form}`, false, 'ISO_IR 126');
    const before = readdirSync(work).length;
    await expect(
      coerceInstance(path, join(work, `greek-${form}.out`), {
        patient: { ...patient, name: 'MÜLLER^名' },
        modifyingSystem: 'X',
        files,
      }),
    ).rejects.toBeInstanceOf(MediaFileError);
    expect(readdirSync(work).length).toBe(before);
  });

  it('never overwrites an existing target, and leaves it as it was', async () => {
    const path = source(`exists-${form}`, false);
    const target = join(work, `exists-${form}.out`);
    writeFileSync(target, 'somebody else');
    const before = readdirSync(work).length;
    await expect(
      coerceInstance(path, target, { patient, modifyingSystem: 'X', files }),
    ).rejects.toMatchObject({ code: 'EEXIST' });
    expect(readFileSync(target, 'utf8')).toBe('somebody else');
    expect(readdirSync(work).length).toBe(before);
  });
});

describe('coerceInstance reads', () => {
  it('copies the pixel data whole after a header larger than its first read (1 MiB)', async () => {
    const path = bigHeaderSource();
    const target = join(work, 'big-header.out');
    const result = await coerceInstance(path, target, {
      patient,
      modifyingSystem: 'CAPTURE1',
    });
    const bytes = readFileSync(target);
    expect(bytes.length).toBe(result.part10.fileSize);
    const offset = result.targetPixelDataOffset ?? 0;
    const sourceBytes = readFileSync(path);
    expect(bytes.subarray(offset).equals(sourceBytes.subarray(result.sourcePixelDataOffset))).toBe(
      true,
    );
    expect(bytes.includes(privateBlob)).toBe(true);
  });
});

describe('coerceInstance with synchronous files (the import worker, mediaWorkerThread.ts)', () => {
  const options = {
    patient,
    accessionNumber: 'ACC-77',
    modifyingSystem: 'CAPTURE1',
    now: new Date('2026-01-02T03:04:05.678Z'),
  };

  it.each([
    ['explicit VR', () => source('sync-explicit')],
    ['implicit VR', () => source('sync-implicit', true)],
    ['a header larger than the first read', bigHeaderSource],
  ])('writes the same bytes as the asynchronous files: %s', async (_, input) => {
    const path = input();
    const viaAsync = await coerceInstance(path, `${path}.async`, options);
    const viaSync = await coerceInstance(path, `${path}.sync`, { ...options, files: syncFiles });
    expect(readFileSync(`${path}.sync`).equals(readFileSync(`${path}.async`))).toBe(true);
    expect({ ...viaSync, target: '', part10: { ...viaSync.part10, path: '' } }).toEqual({
      ...viaAsync,
      target: '',
      part10: { ...viaAsync.part10, path: '' },
    });
  });
});
