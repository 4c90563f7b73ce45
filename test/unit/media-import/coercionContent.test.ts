/**
 * What coercion writes besides the new values (PS3.3 C.12.1.1.9, C.7.1.1): the outside issuer's
 * qualifiers move with the outside ID, sequences encoded as UN (PS3.5 6.2.2) are read and
 * extended soundly, the previous issuer keeps its bytes, and files whose text cannot be labelled
 * truthfully are refused rather than written mislabelled.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeDataSet, readDataSet, tag, type DataSet } from '../../../main/core/dimse/dataSet';
import { coerceInstance } from '../../../main/core/media-import/coerceInstance';
import { readInstanceHeader } from '../../../main/core/media-import/readInstance';
import { MediaFileError, openForReading } from '../../../main/core/media-import/types';
import { buildPart10, type TestInstance } from './buildPart10';
import { implicitElement, item, spliceElements, unSequence } from './spliceElements';

const work = mkdtempSync(join(tmpdir(), 'coercion-content-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const base: TestInstance = {
  sopInstanceUid: '1.2.826.0.1.3680043.2.1143.9.1',
  patientId: 'OUT-9',
  patientName: 'OUTSIDE^OTTO',
  studyUid: '1.2.826.0.1.3680043.2.1143.9.2',
  seriesUid: '1.2.826.0.1.3680043.2.1143.9.3',
};
const patient = { patientId: 'LOC-1', issuerOfPatientId: 'HOSP', name: 'LOCAL^LISA' };
const T = {
  accessionIssuer: tag(0x0008, 0x0051),
  issuer: tag(0x0010, 0x0021),
  type: tag(0x0010, 0x0022),
  qualifiers: tag(0x0010, 0x0024),
  otherIds: tag(0x0010, 0x1002),
  modified: tag(0x0400, 0x0550),
  source: tag(0x0400, 0x0564),
  reason: tag(0x0400, 0x0565),
  original: tag(0x0400, 0x0561),
};
const explicit = (t: number, vr: string, value: string | Buffer) =>
  encodeDataSet([{ tag: t, vr, value }], 'explicit');

let count = 0;
async function coerce(file: Buffer, options: { name?: string; accession?: string } = {}) {
  count += 1;
  const source = join(work, `src${count}`);
  const target = join(work, `out${count}`);
  writeFileSync(source, file);
  await coerceInstance(source, target, {
    patient: { ...patient, name: options.name ?? patient.name },
    accessionNumber: options.accession,
    modifyingSystem: 'CAPTURE1',
  });
  const bytes = readFileSync(target);
  const { header } = await readInstanceHeader(target, openForReading);
  const dataSet = readDataSet(
    bytes.subarray(header.dataSetOffset, header.pixelDataOffset),
    'explicit',
  );
  return { dataSet, target };
}

/** Rejects with a MediaFileError whose message matches `reason`, and leaves no target. */
async function expectRefused(file: Buffer, reason: RegExp, name: string) {
  count += 1;
  const source = join(work, `src${count}`);
  const target = join(work, `out${count}`);
  writeFileSync(source, file);
  const error: unknown = await coerceInstance(source, target, {
    patient: { ...patient, name },
    modifyingSystem: 'CAPTURE1',
  }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(MediaFileError);
  expect((error as Error).message).toMatch(reason);
  expect(existsSync(target)).toBe(false);
}

const lastItem = (ds: DataSet, t: number): DataSet | undefined => ds.get(t)?.items?.at(-1);
const modifiedItem = (ds: DataSet) => lastItem(ds, T.original)?.get(T.modified)?.items?.[0];

/** Issuer, Type of Patient ID, qualifiers and accession issuer of an outside authority. */
const qualifiedSource = (): Buffer =>
  buildPart10({
    ...base,
    extra: [
      { tag: T.issuer, vr: 'LO', value: 'OUTSIDE-HOSP' },
      { tag: T.type, vr: 'CS', value: 'RFID' },
      {
        tag: T.qualifiers,
        vr: 'SQ',
        value: [
          [
            { tag: tag(0x0040, 0x0032), vr: 'UT', value: '1.2.3.4.5.999' },
            { tag: tag(0x0040, 0x0033), vr: 'CS', value: 'ISO' },
          ],
        ],
      },
      {
        tag: T.accessionIssuer,
        vr: 'SQ',
        value: [[{ tag: tag(0x0040, 0x0031), vr: 'UT', value: 'OUTSIDE-RIS' }]],
      },
    ],
  });

describe("the outside issuer's qualifiers (PS3.3 C.7.1.1, C.12.1.1.9)", () => {
  it('are removed with the outside ID, recorded as modified, and kept with the other ID', async () => {
    const source = qualifiedSource();
    const { dataSet } = await coerce(source, { accession: 'ACC-1' });
    for (const t of [T.type, T.qualifiers, T.accessionIssuer]) expect(dataSet.has(t)).toBe(false);
    const modified = modifiedItem(dataSet);
    expect(modified?.get(T.type)?.value.toString('latin1')).toBe('RFID');
    const qualifiers = modified?.get(T.qualifiers)?.items?.[0];
    expect(qualifiers?.get(tag(0x0040, 0x0032))?.value.toString('latin1')).toBe('1.2.3.4.5.999 ');
    const accessionIssuer = modified?.get(T.accessionIssuer)?.items?.[0];
    expect(accessionIssuer?.get(tag(0x0040, 0x0031))?.value.toString('latin1')).toBe(
      'OUTSIDE-RIS ',
    );
    const other = lastItem(dataSet, T.otherIds);
    expect(other?.get(T.type)?.value.toString('latin1')).toBe('RFID');
    const otherQualifiers = other?.get(T.qualifiers)?.items?.[0];
    expect(otherQualifiers?.get(tag(0x0040, 0x0033))?.value.toString('latin1')).toBe('ISO ');
  });

  it('keeps the accession issuer when no accession number is coerced', async () => {
    const { dataSet } = await coerce(qualifiedSource());
    expect(dataSet.get(T.accessionIssuer)?.items?.length).toBe(1);
    expect(modifiedItem(dataSet)?.has(T.accessionIssuer)).toBe(false);
    expect(dataSet.has(T.qualifiers)).toBe(false);
  });
});

/** An Original Attributes item with reason CORRECT, in Implicit VR. */
const correctItem = implicitElement(T.reason, Buffer.from('CORRECT '));

describe('sequences encoded as UN (PS3.5 6.2.2: Implicit VR inside)', () => {
  it.each([
    ['undefined length, undefined-length item', true, true],
    ['undefined length, defined-length item', true, false],
    ['defined length', false, false],
  ])(
    'extends an Original Attributes Sequence in UN (%s)',
    async (_, undefinedSeq, undefinedItem) => {
      const un = unSequence(T.original, item(correctItem, undefinedItem), undefinedSeq);
      const { dataSet } = await coerce(
        spliceElements(buildPart10(base), 'explicit', new Map([[T.original, un]])),
      );
      const items = dataSet.get(T.original)?.items ?? [];
      expect(items.map((i) => i.get(T.reason)?.value.toString('latin1').trim())).toEqual([
        'CORRECT',
        'COERCE',
      ]);
      expect(dataSet.get(T.original)?.vr).toBe('SQ');
    },
  );

  it('refuses a UN Original Attributes Sequence whose content is not Implicit VR items', async () => {
    const garbage = unSequence(T.original, Buffer.from('NOT AN ITEM!'), false);
    await expectRefused(
      spliceElements(buildPart10(base), 'explicit', new Map([[T.original, garbage]])),
      /\(0400,0561\) is encoded as UN/,
      'LOCAL^LISA',
    );
  });

  it('reads and keeps a private UN sequence of undefined length byte for byte', async () => {
    const privateSq = unSequence(
      tag(0x0009, 0x1010),
      item(implicitElement(tag(0x0009, 0x1011), Buffer.from('VALUE ')), true),
    );
    const file = spliceElements(
      buildPart10(base),
      'explicit',
      new Map([
        [tag(0x0009, 0x0010), explicit(tag(0x0009, 0x0010), 'LO', 'ACME 1.0')],
        [tag(0x0009, 0x1010), privateSq],
      ]),
    );
    const { target } = await coerce(file);
    expect(readFileSync(target).includes(privateSq)).toBe(true);
  });
});

describe('text in the character set the file declares', () => {
  it('writes the previous Cyrillic issuer as stored (ISO_IR 144)', async () => {
    const issuer = Buffer.from([0xb1, 0xde, 0xdb, 0xec, 0xdd, 0xd8, 0xe6, 0xd0]); // Больница
    const { dataSet } = await coerce(
      buildPart10({
        ...base,
        charset: 'ISO_IR 144',
        extra: [{ tag: T.issuer, vr: 'LO', value: issuer }],
      }),
    );
    expect(lastItem(dataSet, T.original)?.get(T.source)?.value.equals(issuer)).toBe(true);
  });

  it('refuses to declare UTF-8 over undeclared 8-bit text, naming the element', async () => {
    const file = buildPart10({
      ...base,
      patientName: '',
      patientNameBytes: Buffer.from('M\xdcLLER^HANS', 'latin1'),
    });
    await expectRefused(file, /declares no character set.*\(0010,0010\)/, 'ŁUKASZ^ŻÓŁW');
  });
});

describe('data after the Pixel Data when the file gets a new character set', () => {
  /** An ISO_IR 100 file with the element `after` (its tag above Pixel Data) at its end. */
  const latin1Source = (t: number, after: Buffer) =>
    spliceElements(
      buildPart10({ ...base, charset: 'ISO_IR 100' }),
      'explicit',
      new Map([[t, after]]),
    );

  it('refuses non-ASCII text there, not mere padding, when the file goes to UTF-8', async () => {
    const padding = tag(0xfffc, 0xfffc); // Data Set Trailing Padding: OB, no text
    const padded = latin1Source(padding, explicit(padding, 'OB', Buffer.from('ÄÖÜ\0', 'latin1')));
    const { dataSet } = await coerce(padded, { name: 'ŁUKASZ^ŻÓŁW' });
    expect(dataSet.get(tag(0x0008, 0x0005))?.value.toString('latin1')).toBe('ISO_IR 192');
    const creator = tag(0x7fe1, 0x0010);
    const text = latin1Source(creator, explicit(creator, 'LO', Buffer.from('ÄRZTE', 'latin1')));
    await expectRefused(text, /\(7FE1,0010\) there holds text/, 'ŁUKASZ^ŻÓŁW');
  });

  it('walks encapsulated fragments to find it', async () => {
    const file = buildPart10({ ...base, charset: 'ISO_IR 100' });
    const at = file.indexOf(Buffer.from([0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x57]));
    const head = Buffer.from([0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x42, 0, 0, 0xff, 0xff, 0xff, 0xff]);
    const delimiter = Buffer.from([0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0]);
    const encapsulated = Buffer.concat([
      head,
      item(Buffer.alloc(0)),
      item(Buffer.from([0xff, 0xd8, 0xff, 0xd9])),
      delimiter,
      explicit(tag(0x7fe1, 0x0010), 'LO', Buffer.from('ÄRZTE GMBH', 'latin1')),
    ]);
    await expectRefused(
      Buffer.concat([file.subarray(0, at), encapsulated]),
      /\(7FE1,0010\) there holds text/,
      'ŁUKASZ^ŻÓŁW',
    );
  });
});
