/**
 * Sequence items with a Specific Character Set of their own (PS3.5 7.5.3) in a file converted to
 * UTF-8 because the local patient's name does not fit its set: each item's text is decoded in
 * the set in force there and written in UTF-8, each (0008,0005) becomes ISO_IR 192, and
 * everything else keeps its bytes — or the file is refused, naming the element's tag path.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDataSet, tag, type DataSet } from '../../../main/core/dimse/dataSet';
import { writeHeader } from '../../../main/core/dimse/convertSyntax';
import { syncFiles } from '../../../main/core/media-import/coerceFiles';
import { coerceInstance } from '../../../main/core/media-import/coerceInstance';
import { readInstanceHeader } from '../../../main/core/media-import/readInstance';
import { MediaFileError, openForReading } from '../../../main/core/media-import/types';
import { buildPart10, type TestInstance } from './buildPart10';
import {
  cyrillic,
  cyrillicRequest,
  greekObserver,
  SAMPLE_POSITIONS,
  T,
  TEXT,
} from './itemCharsetFixture';
import { item } from './spliceElements';

const work = mkdtempSync(join(tmpdir(), 'item-charset-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const pixels = Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 13) % 256));
const latin1 = (s: string): Buffer => Buffer.from(s.length % 2 ? `${s} ` : s, 'latin1');
const STUDY_DESCRIPTION = tag(0x0008, 0x1030);
const POLISH = 'ŁUKASIEWICZ^JAN'; // Ł is not in Latin-1: the file must go to UTF-8

const base: TestInstance = {
  sopInstanceUid: '1.2.826.0.1.3680043.2.1143.11.1',
  patientId: 'OUT-9',
  patientName: '',
  patientNameBytes: latin1('MÜLLER^HANS'),
  studyUid: '1.2.826.0.1.3680043.2.1143.11.2',
  seriesUid: '1.2.826.0.1.3680043.2.1143.11.3',
  pixelData: pixels,
  charset: 'ISO_IR 100',
};

const text = (ds: DataSet | undefined, t: number): string =>
  ds
    ?.get(t)
    ?.value.toString('utf8')
    .replace(/[\0 ]+$/, '') ?? '';
const first = (ds: DataSet | undefined, t: number): DataSet | undefined => ds?.get(t)?.items?.[0];

let count = 0;
async function coerce(file: Buffer, implicit = false, files?: typeof syncFiles) {
  count += 1;
  const source = join(work, `src${count}`);
  const target = join(work, `out${count}`);
  writeFileSync(source, file);
  const result = await coerceInstance(source, target, {
    patient: { patientId: 'LOC-1', issuerOfPatientId: 'HOSP', name: POLISH },
    modifyingSystem: 'CAPTURE1',
    files,
  });
  const { instance, header } = await readInstanceHeader(target, openForReading);
  const bytes = readFileSync(target);
  const dataSet = readDataSet(
    bytes.subarray(header.dataSetOffset, header.pixelDataOffset),
    implicit ? 'implicit' : 'explicit',
  );
  return { result, instance, bytes, dataSet, source: file };
}

/** Rejects with a MediaFileError whose message matches `reason`, and leaves no target. */
async function expectRefused(file: Buffer, reason: RegExp) {
  count += 1;
  const source = join(work, `src${count}`);
  const target = join(work, `out${count}`);
  writeFileSync(source, file);
  const error: unknown = await coerceInstance(source, target, {
    patient: { patientId: 'LOC-1', name: POLISH },
    modifyingSystem: 'CAPTURE1',
  }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(MediaFileError);
  expect((error as Error).message).toMatch(reason);
  expect(existsSync(target)).toBe(false);
}

describe.each([
  ['Explicit VR, asynchronous files', false, undefined],
  ['Explicit VR, synchronous files', false, syncFiles],
  ['Implicit VR', true, undefined],
])('items with a character set of their own, converted to UTF-8 (%s)', (_, implicit, files) => {
  it('decodes each item in its own set, nested items in their parent item’s, and writes ISO_IR 192', async () => {
    const file = buildPart10({
      ...base,
      implicit,
      extra: [
        { tag: STUDY_DESCRIPTION, vr: 'LO', value: latin1('Röntgen Thorax') },
        cyrillicRequest(),
        greekObserver(),
      ],
    });
    const { result, instance, bytes, dataSet } = await coerce(file, implicit, files);
    expect(instance.patientName).toBe(POLISH);
    expect(text(dataSet, T.charset)).toBe('ISO_IR 192');
    expect(text(dataSet, STUDY_DESCRIPTION)).toBe('Röntgen Thorax');

    const request = first(dataSet, T.requestAttributes);
    expect(text(request, T.charset)).toBe('ISO_IR 192');
    expect(text(request, T.requestedProcedureDescription)).toBe(TEXT.description);
    expect(text(first(request, T.requestedProcedureCodes), T.codeMeaning)).toBe(
      TEXT.cyrillicMeaning,
    );
    expect(first(request, T.requestedProcedureCodes)?.has(T.charset)).toBe(false);
    // Not a text VR (PS3.5 6.1.2.3): the same bytes, though they look like Cyrillic letters.
    expect(request?.get(T.referencedSamplePositions)?.value).toEqual(SAMPLE_POSITIONS);

    const observer = first(dataSet, T.verifyingObservers);
    expect(text(observer, T.charset)).toBe('ISO_IR 192');
    expect(text(observer, T.verifyingObserverName)).toBe(TEXT.observer);
    expect(text(observer, T.verifyingOrganization)).toBe(TEXT.organization);
    expect(text(first(observer, T.verifyingObserverCode), T.codeMeaning)).toBe(TEXT.greekMeaning);

    // The previous name, in the file's new set; nothing about the items' sets is recorded.
    const modified = first(first(dataSet, tag(0x0400, 0x0561)), tag(0x0400, 0x0550));
    expect(text(modified, tag(0x0010, 0x0010))).toBe('MÜLLER^HANS');
    expect(modified?.has(T.charset)).toBe(false);

    const offset = result.targetPixelDataOffset ?? 0;
    const src = file.subarray(result.sourcePixelDataOffset);
    expect(bytes.subarray(offset).equals(src)).toBe(true);
  });
});

/** An Explicit VR element's bytes, in the order given (encodeDataSet would sort them). */
const el = (t: number, vr: string, value: Buffer): Buffer =>
  Buffer.concat([writeHeader(t >>> 16, t & 0xffff, vr, value.length, 'explicit'), value]);
const UNDEFINED = Buffer.from([0xff, 0xff, 0xff, 0xff]);
/**
 * The base file with a Request Attributes Sequence of undefined length (PS3.5 7.5.2) inserted
 * before the Pixel Data, holding one item made of `elements` in the order given.
 */
function withRequestItem(elements: readonly Buffer[], undefinedItem = false): Buffer {
  const sq = Buffer.concat([
    writeHeader(0x0040, 0x0275, 'SQ', 0, 'explicit').subarray(0, 8),
    UNDEFINED,
    item(Buffer.concat(elements), undefinedItem),
    Buffer.from([0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0]),
  ]);
  const file = buildPart10(base);
  const at = file.indexOf(Buffer.from([0xe0, 0x7f, 0x10, 0x00]), 132);
  return Buffer.concat([file.subarray(0, at), sq, file.subarray(at)]);
}

describe('items of undefined length', () => {
  it('keeps undefined lengths and delimiters, and converts what is inside', async () => {
    const file = withRequestItem(
      [
        el(T.charset, 'CS', latin1('ISO_IR 144')),
        el(T.requestedProcedureDescription, 'LO', cyrillic(TEXT.description)),
      ],
      true,
    );
    const { dataSet, bytes } = await coerce(file);
    const request = first(dataSet, T.requestAttributes);
    expect(text(request, T.charset)).toBe('ISO_IR 192');
    expect(text(request, T.requestedProcedureDescription)).toBe(TEXT.description);
    const converted = Buffer.concat([
      Buffer.from([0x40, 0x00, 0x75, 0x02]),
      Buffer.from('SQ\0\0'),
      UNDEFINED,
      Buffer.from([0xfe, 0xff, 0x00, 0xe0]),
      UNDEFINED,
    ]);
    expect(bytes.includes(converted)).toBe(true);
  });
});

describe('refusals, naming the element by its tag path', () => {
  it('refuses a value that would outgrow its 16-bit length in UTF-8', async () => {
    // 40,000 Cyrillic letters: 40,000 bytes in ISO 8859-5, 80,000 in UTF-8.
    const long = cyrillic('Ж'.repeat(40_000));
    await expectRefused(
      buildPart10({ ...base, extra: [cyrillicRequest(long)] }),
      /\(0040,0275\)\[1\]\.\(0032,1060\) would be longer than its VR LO allows/,
    );
  });

  it('refuses an item whose set this station does not read', async () => {
    await expectRefused(
      buildPart10({ ...base, extra: [cyrillicRequest(undefined, 'ISO_IR 999')] }),
      /\(0040,0275\)\[1\]\.\(0008,0005\) declares "ISO_IR 999"/,
    );
  });

  it('refuses bytes that are not valid in the item’s set', async () => {
    const greekGap = Buffer.from([0x41, 0xae]); // 0xAE is unassigned in ISO 8859-7
    await expectRefused(
      buildPart10({ ...base, extra: [cyrillicRequest(greekGap, 'ISO_IR 126')] }),
      /\(0040,0275\)\[1\]\.\(0032,1060\) holds bytes that are not valid in its item's character set "ISO_IR 126"/,
    );
  });

  it('refuses an item whose (0008,0005) comes after text it would govern', async () => {
    await expectRefused(
      withRequestItem([
        el(T.codeMeaning, 'LO', cyrillic('Грудь ')),
        el(T.charset, 'CS', latin1('ISO_IR 144')),
      ]),
      /\(0040,0275\)\[1\]\.\(0008,0005\) declares the item's character set after \(0040,0275\)\[1\]\.\(0008,0104\)/,
    );
  });

  it('refuses a value of undefined length that is not a sequence', async () => {
    const undefinedText = [
      writeHeader(0x0008, 0x0104, 'UT', 0, 'explicit').subarray(0, 8),
      UNDEFINED,
    ];
    await expectRefused(
      withRequestItem(undefinedText),
      /UTF-8: \(0040,0275\)\[1\]\.\(0008,0104\) has undefined length but is not a sequence$/,
    );
  });
});

describe('a file that declares no set, with an item that declares one', () => {
  it('is relabelled ISO_IR 192 and its item keeps its own set and bytes', async () => {
    const request = cyrillicRequest();
    const file = buildPart10({
      ...base,
      patientName: 'OUTSIDE^OTTO',
      patientNameBytes: undefined,
      charset: undefined,
      extra: [request],
    });
    const { dataSet } = await coerce(file);
    expect(text(dataSet, T.charset)).toBe('ISO_IR 192');
    const item0 = first(dataSet, T.requestAttributes);
    expect(text(item0, T.charset)).toBe('ISO_IR 144');
    expect(item0?.get(T.requestedProcedureDescription)?.value).toEqual(cyrillic(TEXT.description));
  });
});
