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
    const modified = dataSet.get(tag(0x0400, 0x0561))?.items?.[0]?.get(tag(0x0400, 0x0550))
      ?.items?.[0];
    expect(text(modified, tag(0x0010, 0x0010))).toBe('OUTSIDE^OTTO');
  });
});

const latin1 = (s: string): Buffer => Buffer.from(s.length % 2 ? `${s} ` : s, 'latin1');
const STUDY_DESCRIPTION = tag(0x0008, 0x1030);
const PROCEDURE_CODES = tag(0x0008, 0x1032);
const CODE_MEANING = tag(0x0008, 0x0104);
const PRIVATE_TEXT = tag(0x0009, 0x1001);

/** A Latin-1 (ISO_IR 100) outside file with non-ASCII text at top level, in an item, private. */
function latin1Source(name: string, implicit: boolean): string {
  const path = join(work, name);
  writeFileSync(
    path,
    buildPart10({
      sopInstanceUid: '1.2.826.0.1.3680043.2.1143.7.5',
      patientId: 'OUT-9',
      patientName: '',
      patientNameBytes: latin1('MÜLLER^HANS'),
      studyUid: '1.2.826.0.1.3680043.2.1143.7.2',
      seriesUid: '1.2.826.0.1.3680043.2.1143.7.3',
      pixelData: pixels,
      implicit,
      charset: 'ISO_IR 100',
      extra: [
        { tag: STUDY_DESCRIPTION, vr: 'LO', value: latin1('Röntgen Thorax') },
        {
          tag: PROCEDURE_CODES,
          vr: 'SQ',
          value: [
            [
              { tag: tag(0x0008, 0x0100), vr: 'SH', value: 'X1' },
              { tag: CODE_MEANING, vr: 'LO', value: latin1('Größe') },
            ],
          ],
        },
        { tag: tag(0x0009, 0x0010), vr: 'LO', value: 'OUTSIDE PRIVATE' },
        { tag: PRIVATE_TEXT, vr: 'LO', value: latin1('Straße') },
      ],
    }),
  );
  return path;
}

describe.each([false, true])(
  'coerceInstance converts a file to UTF-8 when its set cannot carry the name (implicit VR: %s)',
  (implicit) => {
    it('re-encodes every text value, the originals too, and keeps the pixel data', async () => {
      const path = latin1Source(`latin1-${String(implicit)}`, implicit);
      const target = join(work, `latin1-${String(implicit)}.out`);
      const result = await coerceInstance(path, target, {
        patient: { ...patient, name: 'ŁUKASIEWICZ^JAN' }, // Ł is not in Latin-1
        modifyingSystem: 'CAPTURE1',
      });
      const { instance, header } = await readInstanceHeader(target, openForReading);
      expect(instance.patientName).toBe('ŁUKASIEWICZ^JAN');
      const bytes = readFileSync(target);
      const dataSet = readDataSet(
        bytes.subarray(header.dataSetOffset, header.pixelDataOffset),
        implicit ? 'implicit' : 'explicit',
      );
      expect(text(dataSet, tag(0x0008, 0x0005))).toBe('ISO_IR 192');
      expect(text(dataSet, STUDY_DESCRIPTION)).toBe('Röntgen Thorax');
      const code = dataSet.get(PROCEDURE_CODES)?.items?.[0];
      expect(text(code, CODE_MEANING)).toBe('Größe');
      // A private element's VR is known in Explicit VR only: in Implicit VR nothing says it is
      // text, so its bytes stay as they were.
      expect(dataSet.get(PRIVATE_TEXT)?.value).toEqual(
        implicit ? latin1('Straße') : Buffer.from('Straße ', 'utf8'), // padded to even length
      );
      const modified = dataSet.get(tag(0x0400, 0x0561))?.items?.[0]?.get(tag(0x0400, 0x0550))
        ?.items?.[0];
      // The original name as text in the file's new set; no (0008,0005) of the item's own.
      expect(text(modified, tag(0x0010, 0x0010))).toBe('MÜLLER^HANS');
      expect(modified?.has(tag(0x0008, 0x0005))).toBe(false);
      const other = dataSet.get(tag(0x0010, 0x1002))?.items?.[0];
      expect(text(other, tag(0x0010, 0x0020))).toBe('OUT-9');
      const offset = result.targetPixelDataOffset ?? 0;
      const src = readFileSync(path);
      expect(bytes.subarray(offset).equals(src.subarray(result.sourcePixelDataOffset))).toBe(true);
      expect(result.part10).toEqual(await readPart10Info(target));
    });
  },
);

describe('coerceInstance converts ISO 2022 text to UTF-8', () => {
  it('decodes Japanese (ISO 2022 IR 87) values, the original name too, before a German name goes in', async () => {
    const path = join(work, 'jis');
    const jis = (s: string) => Buffer.from(s.length % 2 ? `${s} ` : s, 'latin1');
    writeFileSync(
      path,
      buildPart10({
        sopInstanceUid: '1.2.826.0.1.3680043.2.1143.7.6',
        patientId: 'OUT-9',
        patientName: '',
        // PS3.5 H.3.1: Yamada^Tarou=山田^太郎
        patientNameBytes: jis('Yamada^Tarou=\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B'),
        studyUid: '1.2.826.0.1.3680043.2.1143.7.2',
        seriesUid: '1.2.826.0.1.3680043.2.1143.7.3',
        charset: '\\ISO 2022 IR 87',
        extra: [{ tag: STUDY_DESCRIPTION, vr: 'LO', value: jis('\x1b$B;3ED\x1b(B') }],
      }),
    );
    const target = join(work, 'jis.out');
    await coerceInstance(path, target, {
      patient: { ...patient, name: 'MÜLLER^JÖRG' },
      modifyingSystem: 'X',
    });
    const { instance, header } = await readInstanceHeader(target, openForReading);
    expect(instance.patientName).toBe('MÜLLER^JÖRG');
    const dataSet = readDataSet(
      readFileSync(target).subarray(header.dataSetOffset, header.pixelDataOffset),
      'explicit',
    );
    expect(text(dataSet, STUDY_DESCRIPTION)).toBe('山田');
    const modified = dataSet.get(tag(0x0400, 0x0561))?.items?.[0]?.get(tag(0x0400, 0x0550))
      ?.items?.[0];
    expect(text(modified, tag(0x0010, 0x0010))).toBe('Yamada^Tarou=山田^太郎');
  });
});

/** Both forms of file calls: asynchronous (main thread) and synchronous (the import's worker). */
describe.each([
  ['asynchronous', undefined],
  ['synchronous', syncFiles],
])('coerceInstance refusals with %s files', (form, files) => {
  it.each([
    ['an unknown character set', 'ISO_IR 999', undefined, /"ISO_IR 999" is not a character set/],
    [
      'bytes not valid in its character set',
      'ISO_IR 126',
      Buffer.from([0x41, 0xae]), // 0xAE is unassigned in ISO 8859-7
      /\(0010,0010\) holds bytes that are not valid/,
    ],
  ])(
    'refuses to convert a file with %s to UTF-8 and leaves no file behind',
    async (_, charset, patientNameBytes, reason) => {
      const path = join(work, `refused-${charset}-${form}`);
      writeFileSync(
        path,
        buildPart10({
          sopInstanceUid: '1.2.826.0.1.3680043.2.1143.7.7',
          patientId: 'OUT-9',
          patientName: 'OUTSIDE^OTTO',
          ...(patientNameBytes && { patientNameBytes }),
          studyUid: '1.2.826.0.1.3680043.2.1143.7.2',
          seriesUid: '1.2.826.0.1.3680043.2.1143.7.3',
          charset,
          extra: [{ tag: STUDY_DESCRIPTION, vr: 'LO', value: latin1('Röntgen') }],
        }),
      );
      const before = readdirSync(work).length;
      const coercing = coerceInstance(path, join(work, `refused-${charset}-${form}.out`), {
        patient: { ...patient, name: 'MÜLLER^名' },
        modifyingSystem: 'X',
        files,
      });
      await expect(coercing).rejects.toBeInstanceOf(MediaFileError);
      await expect(coercing).rejects.toThrow(reason);
      expect(readdirSync(work).length).toBe(before);
    },
  );

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
