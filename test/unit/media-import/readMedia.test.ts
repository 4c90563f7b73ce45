import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { groupInstances } from '../../../main/core/media-import/groupInstances';
import { readMedia } from '../../../main/core/media-import/readMedia';
import { MediaRoot } from '../../../main/core/media-import/resolveOnMedia';
import type { OpenFile } from '../../../main/core/media-import/types';
import { buildPart10, type TestInstance } from './buildPart10';

const base = mkdtempSync(join(tmpdir(), 'media-unit-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

function instance(n: number, patient: 'A' | 'B', extra: Partial<TestInstance> = {}): Buffer {
  return buildPart10({
    sopInstanceUid: `1.2.826.0.1.3680043.2.1143.9.${n}`,
    patientId: patient === 'A' ? 'OUT-A' : 'OUT-B',
    patientName: patient === 'A' ? 'ALPHA^ANNE' : 'BETA^BOB',
    studyUid: `1.2.826.0.1.3680043.2.1143.1.${patient}`,
    seriesUid: `1.2.826.0.1.3680043.2.1143.2.${patient}${n % 2}`,
    ...extra,
  });
}

function recordingOpener(): { openFile: OpenFile; opened: string[] } {
  const opened: string[] = [];
  return {
    opened,
    openFile: (path) => {
      opened.push(path);
      return open(path, 'r');
    },
  };
}

describe('readMedia without a DICOMDIR', () => {
  const disc = join(base, 'disc');
  mkdirSync(join(disc, 'viewer', 'bin'), { recursive: true });
  mkdirSync(join(disc, 'images', 'a', 'deep'), { recursive: true });
  writeFileSync(join(disc, 'autorun.inf'), '[autorun]\nopen=viewer.exe\n');
  writeFileSync(join(disc, 'viewer', 'bin', 'viewer.exe'), 'MZ');
  writeFileSync(join(disc, 'viewer', 'logo.png'), 'png');
  // As a disc mounted with `-o map=off` shows them: ISO 9660 version numbers kept.
  writeFileSync(join(disc, 'SETUP.EXE;1'), 'MZ');
  writeFileSync(join(disc, 'README'), 'not dicom at all');
  writeFileSync(join(disc, 'images', 'a', 'i1'), instance(1, 'A'));
  writeFileSync(join(disc, 'images', 'a', 'deep', 'i2'), instance(2, 'A'));
  writeFileSync(join(disc, 'images', 'a', 'deep', 'i3'), instance(3, 'A', { implicit: true }));
  writeFileSync(join(disc, 'images', 'b1'), instance(4, 'B', { modality: 'CT' }));
  const good = instance(5, 'B');
  writeFileSync(join(disc, 'images', 'truncated'), good.subarray(0, 300));
  const garbled = Buffer.from(good);
  garbled.fill(0xa5, 320, 420);
  writeFileSync(join(disc, 'images', 'garbled'), garbled);
  const absurd = instance(6, 'B');
  // PatientName (0010,0010) PN: make its 16-bit length claim more bytes than the file has.
  const at = absurd.indexOf(Buffer.from([0x10, 0x00, 0x10, 0x00, 0x50, 0x4e]));
  absurd.writeUInt16LE(0xfff0, at + 6);
  writeFileSync(join(disc, 'images', 'absurd'), absurd);
  writeFileSync(join(base, 'canary'), instance(99, 'A'));
  symlinkSync(join(base, 'canary'), join(disc, 'images', 'escape'));

  it('groups the Part-10 files by patient, study and series and refuses the rest', async () => {
    const { openFile, opened } = recordingOpener();
    const media = await readMedia(disc, { openFile });
    const patients = groupInstances(media.instances);
    expect(patients.map((p) => [p.name, p.patientId, p.studies.length])).toEqual([
      ['ALPHA^ANNE', 'OUT-A', 1],
      ['BETA^BOB', 'OUT-B', 1],
    ]);
    const study = patients[0]?.studies[0];
    expect([study?.seriesCount, study?.instanceCount, study?.modalities]).toEqual([2, 3, ['OT']]);
    const reasons = new Map(media.refused.map((r) => [r.path.split('/').pop() ?? '', r.reason]));
    expect(reasons.get('truncated')).toMatch(/truncated/);
    expect(reasons.get('garbled')).toMatch(/garbled/);
    expect(reasons.get('absurd')).toMatch(/claims 65520 bytes/);
    expect(reasons.get('escape')).toMatch(/outside the medium/);
    expect(media.skipped.map((s) => s.path).sort()).toEqual([
      'README',
      'SETUP.EXE;1',
      'autorun.inf',
      'viewer/bin/viewer.exe',
      'viewer/logo.png',
    ]);
    expect(opened.some((p) => p.includes('canary'))).toBe(false);
    expect(opened.some((p) => /viewer|autorun|SETUP/.test(p))).toBe(false);
  });
});

describe('MediaRoot.resolve', () => {
  const disc = join(base, 'lower');
  mkdirSync(join(disc, 'dicom', 'st000000'), { recursive: true });
  writeFileSync(join(disc, 'dicom', 'st000000', 'im000001'), 'x');
  writeFileSync(join(base, 'OUTSIDE'), 'canary');
  symlinkSync(join(base, 'OUTSIDE'), join(disc, 'dicom', 'link'));

  it('matches upper-case file IDs against lower-case names', async () => {
    const root = await MediaRoot.open(disc);
    const resolved = await root.resolve(['DICOM', 'ST000000', 'IM000001']);
    expect(resolved).toEqual({ ok: true, path: join(root.realRoot, 'dicom/st000000/im000001') });
  });

  it('matches file IDs against names that keep ISO 9660 version numbers', async () => {
    const iso = join(base, 'iso-names');
    mkdirSync(join(iso, 'DICOM'), { recursive: true });
    writeFileSync(join(iso, 'DICOM', 'IM000002;1'), 'x');
    writeFileSync(join(iso, 'DICOM', 'IM000003.;1'), 'x');
    writeFileSync(join(iso, 'DICOMDIR;1'), 'x');
    const root = await MediaRoot.open(iso);
    expect(await root.resolve(['DICOM', 'IM000002'])).toEqual({
      ok: true,
      path: join(root.realRoot, 'DICOM/IM000002;1'),
    });
    expect(await root.resolve(['DICOM', 'IM000003'])).toEqual({
      ok: true,
      path: join(root.realRoot, 'DICOM/IM000003.;1'),
    });
    expect(await root.match(root.realRoot, 'DICOMDIR')).toBe('DICOMDIR;1');
    expect((await root.resolve(['DICOM', 'IM000004'])).ok).toBe(false);
  });

  it.each([
    [['..', 'OUTSIDE']],
    [['DICOM', '..', '..', 'OUTSIDE']],
    [['/etc/passwd']],
    [['DICOM', 'LINK']],
    [['NOPE']],
  ])('refuses %j', async (components) => {
    const root = await MediaRoot.open(disc);
    const resolved = await root.resolve(components);
    expect(resolved.ok).toBe(false);
  });
});
