/**
 * Issue 8's worst outcome is an outside image on the wrong local patient. These cases reached it
 * before (review of 2026-12-06): a disc swapped between reading and coercing, a Patient ID chosen
 * without its issuer, a patient group whose instances disagree, keys that imitate each other, and
 * a DICOMDIR naming a FIFO (the import hung instead of refusing it).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tag, type ElementSpec } from '../../../main/core/dimse/dataSet';
import {
  groupInstances,
  importMedia,
  PatientMismatchError,
  SeveralPatientsError,
  type ImportOptions,
} from '../../../main/core/media-import';
import { readMedia } from '../../../main/core/media-import/readMedia';
import type { OpenFile } from '../../../main/core/media-import/types';
import { buildPart10 } from './buildPart10';
import { dicomdir } from './dicomdirFixture';

const base = mkdtempSync(join(tmpdir(), 'wrong-patient-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

interface Outside {
  readonly n: number;
  readonly id: string;
  readonly name: string;
  readonly issuer?: string;
  readonly birthDate?: string;
}

function image({ n, id, name, issuer, birthDate }: Outside): Buffer {
  const extra: ElementSpec[] = [];
  if (issuer !== undefined) extra.push({ tag: tag(0x10, 0x21), vr: 'LO', value: issuer });
  if (birthDate !== undefined) extra.push({ tag: tag(0x10, 0x30), vr: 'DA', value: birthDate });
  return buildPart10({
    sopInstanceUid: `1.2.826.0.1.3680043.2.1143.66.${n}`,
    patientId: id,
    patientName: name,
    studyUid: `1.2.826.0.1.3680043.2.1143.66.1${n}`,
    seriesUid: `1.2.826.0.1.3680043.2.1143.66.2${n}`,
    extra,
  });
}

let discs = 0;
function disc(images: readonly Outside[]): string {
  const root = join(base, `disc${++discs}`);
  mkdirSync(root);
  for (const i of images) writeFileSync(join(root, `IM${i.n}`), image(i));
  return root;
}

const DOE = { patientId: 'LOC-7', name: 'DOE^JANE', birthDate: '19700101' };

function options(delivered: string[], more: Partial<ImportOptions> = {}): ImportOptions {
  return {
    patient: DOE,
    modifyingSystem: 'TEST',
    workFolder: join(base, `work${++discs}`),
    deliver: (file) => {
      delivered.push(file);
      return Promise.resolve(file);
    },
    ...more,
  };
}

describe('importMedia and the wrong patient', () => {
  it('refuses a same-named file of another patient: the swapped disc has the same layout', async () => {
    const doe = disc([{ n: 3, id: 'OUT-1', name: 'DOE^JANE' }]);
    const roe = join(base, 'same-layout');
    mkdirSync(roe);
    writeFileSync(join(roe, 'IM3'), image({ n: 4, id: 'OUT-2', name: 'ROE^RICHARD' }));
    let swapped = false;
    const openFile: OpenFile = (path) => open(swapped ? path.replace(doe, roe) : path, 'r');
    const delivered: string[] = [];
    const report = await importMedia(
      doe,
      options(delivered, {
        openFile,
        announce: () => {
          swapped = true;
          return () => undefined;
        },
      }),
    );
    expect(delivered).toEqual([]);
    expect(report.imported).toEqual([]);
    expect(report.skipped).toEqual([
      {
        path: join(doe, 'IM3'),
        reason: expect.stringMatching(
          /changed since the medium was read: its SOP Instance UID is now "1\.2\.826\.0\.1\.3680043\.2\.1143\.66\.4"/,
        ) as string,
      },
    ]);
  });

  it('does not take a Patient ID for a patient when the disc holds it under two issuers', async () => {
    const root = disc([
      { n: 5, id: '12345', issuer: 'HOSP_A', name: 'DOE^JANE' },
      { n: 6, id: '12345', issuer: 'HOSP_B', name: 'SMITH^JOHN' },
    ]);
    const delivered: string[] = [];
    const ambiguous = importMedia(root, options(delivered, { outsidePatientId: '12345' }));
    await expect(ambiguous).rejects.toThrow(SeveralPatientsError);
    await expect(ambiguous).rejects.toThrow(/issuer HOSP_A DOE\^JANE; 12345 issuer HOSP_B/);
    expect(delivered).toEqual([]);
    const report = await importMedia(
      root,
      options(delivered, { outsidePatientId: '12345', outsideIssuer: 'HOSP_A' }),
    );
    expect(report.imported.map((i) => i.source)).toEqual([join(root, 'IM5')]);
    expect(report.skipped.map((s) => s.path)).toEqual([join(root, 'IM6')]);
    await expect(
      importMedia(root, options([], { outsidePatientId: '12345', outsideIssuer: 'HOSP_C' })),
    ).rejects.toThrow(/no patient ID "12345" issuer "HOSP_C" on the medium/);
  });

  it('asks for confirmation when any instance of the outside patient disagrees', async () => {
    const root = disc([
      { n: 7, id: '777', name: 'DOE^JANE', birthDate: '19700101' },
      { n: 8, id: '777', name: 'ROE^RICHARD', birthDate: '19400505' },
    ]);
    const delivered: string[] = [];
    const refused = importMedia(root, options(delivered));
    await expect(refused).rejects.toThrow(PatientMismatchError);
    await expect(refused).rejects.toThrow(/"ROE\^RICHARD" on the disc vs "DOE\^JANE"/);
    expect(delivered).toEqual([]);
  });
});

describe('grouping', () => {
  it('keeps apart an ID holding "^" and another ID whose issuer completes it', async () => {
    const root = disc([
      { n: 9, id: 'A^B', name: 'ALPHA^ANNE' },
      { n: 10, id: 'A', issuer: 'B^', name: 'BETA^BOB' },
    ]);
    const patients = groupInstances((await readMedia(root)).instances);
    expect(patients.map((p) => [p.patientId, p.issuerOfPatientId, p.name])).toEqual([
      ['A^B', '', 'ALPHA^ANNE'],
      ['A', 'B^', 'BETA^BOB'],
    ]);
  });
});

describe('readMedia and a DICOMDIR naming something that is not a file', () => {
  it('refuses a FIFO instead of waiting for a writer', async () => {
    const root = disc([{ n: 11, id: 'OUT-1', name: 'DOE^JANE' }]);
    execFileSync('mkfifo', [join(root, 'IM12')]);
    writeFileSync(join(root, 'DICOMDIR'), dicomdir([['IM11'], ['IM12']]));
    const media = await readMedia(root);
    expect(media.instances.map((i) => i.path)).toEqual([join(root, 'IM11')]);
    // Refused from the listing, before any open (a device's open can act on the device).
    expect(media.refused).toEqual([
      {
        path: 'IM12',
        reason:
          'IMAGE record: IM12 is not a regular file (a folder, device, pipe or socket); not opened',
      },
    ]);
  });
});
