/**
 * Issue 8, done-when 1: discs built with DCMTK — several patients, lower-case names, no DICOMDIR
 * with noise, corrupt files, and a DICOMDIR pointing outside the disc — each give the right
 * grouping and the right refusals, and the file outside is never opened.
 */
import { mkdir, mkdtemp, open, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli';
import { surveyMedia, type MediaSummary, type OpenFile } from '../../../main/core/media-import';
import { outputText, runTool } from '../../services';
import {
  lowerCaseAll,
  makeDicomdir,
  multiPatientInstances,
  uid,
  writeDiscInstance,
} from './buildDisc';

let base: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'media-it-'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

async function dryRun(root: string): Promise<MediaSummary> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['--json', 'import', root, '--dry-run'], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  expect({ code, err }).toEqual({ code: 0, err: [] });
  return JSON.parse(out[0] ?? '{}') as MediaSummary;
}

function recording(): { openFile: OpenFile; opened: string[] } {
  const opened: string[] = [];
  return { opened, openFile: (path) => (opened.push(path), open(path, 'r')) };
}

describe('a multi-patient disc with lower-case names', () => {
  it('is grouped by patient, study and series with names decoded from ISO_IR 100', async () => {
    const disc = join(base, 'multi');
    for (const i of multiPatientInstances()) await writeDiscInstance(disc, i);
    await makeDicomdir(disc);
    await lowerCaseAll(disc);
    const summary = await dryRun(disc);
    expect(summary.dicomdir).toMatch(/dicomdir$/);
    expect(summary.refused).toEqual([]);
    const shape = summary.patients.map((p) => ({
      name: p.name,
      id: p.patientId,
      born: p.birthDate,
      studies: p.studies.map((s) => [
        s.description,
        s.modalities.join(','),
        s.seriesCount,
        s.instanceCount,
      ]),
    }));
    expect(shape).toEqual([
      {
        name: 'Müller^Otto',
        id: 'OUT-1',
        born: '19700101',
        studies: [
          ['Study 1', 'OT,XC', 2, 3],
          ['Study 2', 'OT', 1, 1],
        ],
      },
      { name: 'Ñúñez^Ana', id: 'OUT-2', born: '19851224', studies: [['Study 3', 'OT', 1, 3]] },
    ]);
  });
});

describe('a DICOMDIR whose records point outside the disc', () => {
  it('refuses them, reports why, and never opens the canary', async () => {
    const disc = join(base, 'escape');
    const canary = join(base, 'CANARY');
    const one = multiPatientInstances().slice(0, 3);
    for (const i of one) await writeDiscInstance(disc, i);
    await writeDiscInstance(base, { ...one[0]!, file: 'CANARY', sopInstanceUid: uid(9, 9) });
    await makeDicomdir(disc);
    // Record 3 (IMAGE IM1 of the first series): a ../ path; IM2 becomes a link leaving the disc.
    const edited = await runTool('dcmodify', [
      '-nb',
      '-m',
      '(0004,1220)[3].(0004,1500)=..\\CANARY',
      join(disc, 'DICOMDIR'),
    ]);
    expect(edited.code, outputText(edited)).toBe(0);
    await rm(join(disc, 'DICOM/P1/ST1/SE1/IM2'));
    await symlink(canary, join(disc, 'DICOM/P1/ST1/SE1/IM2'));
    const { openFile, opened } = recording();
    const summary = await surveyMedia(disc, openFile);
    expect(summary.refused.map((r) => r.reason)).toEqual([
      expect.stringMatching(/IMAGE record: Referenced File ID \.\.\\CANARY leaves the medium/),
      expect.stringMatching(/IMAGE record: DICOM\\P1\\ST1\\SE1\\IM2 resolves outside the medium/),
    ]);
    expect(summary.patients.flatMap((p) => p.studies.map((s) => s.instanceCount))).toEqual([1]);
    expect(opened.length).toBe(2); // the DICOMDIR and the one good instance
    expect(opened.filter((p) => p.includes('CANARY'))).toEqual([]);
  });
});

describe('a disc without DICOMDIR, with noise and corrupt files', () => {
  it('finds the instances in nested folders and refuses the corrupt ones with reasons', async () => {
    const disc = join(base, 'noisy');
    const all = multiPatientInstances();
    for (const i of all.slice(0, 4))
      await writeDiscInstance(disc, { ...i, file: i.file.replace('DICOM/', 'data/images/') });
    await mkdir(join(disc, 'Viewer', 'plugins'), { recursive: true });
    await writeFile(join(disc, 'AUTORUN.INF'), '[autorun]\r\nopen=Viewer\\viewer.exe\r\n');
    await writeFile(join(disc, 'Viewer', 'viewer.exe'), 'MZ\x90\x00');
    await writeFile(join(disc, 'Viewer', 'plugins', 'codec.dll'), 'MZ');
    await writeFile(join(disc, 'index.htm'), '<html></html>');
    await writeFile(join(disc, 'data', 'NOTES'), 'plain text, no preamble');
    const good = await readFile(join(disc, 'data/images/P1/ST1/SE1/IM1'));
    await writeDiscInstance(disc, { ...all[4]!, file: 'data/bad/TRUNC' });
    await truncate(join(disc, 'data/bad/TRUNC'), 400);
    const garbled = Buffer.from(good);
    garbled.fill(0xee, 420, 520); // inside the data set, past the meta group
    await writeFile(join(disc, 'data/bad/GARBLED'), garbled);
    const absurd = Buffer.from(good);
    const at = absurd.indexOf(Buffer.from('LO', 'latin1'), 300); // first LO: its 16-bit length
    absurd.writeUInt16LE(0xfffe, at + 2);
    await writeFile(join(disc, 'data/bad/ABSURD'), absurd);
    await writeFile(join(disc, 'data/bad/EMPTY'), '');
    const summary = await dryRun(disc);
    expect(summary.dicomdir).toBeNull(); // --json prints every field, null when absent
    expect(summary.patients.flatMap((p) => p.studies.map((s) => s.instanceCount))).toEqual([3, 1]);
    const refused = new Map(summary.refused.map((r) => [r.path.split('/').pop() ?? '', r.reason]));
    expect(refused.get('TRUNC')).toMatch(/truncated/);
    expect(refused.get('GARBLED')).toMatch(/garbled|truncated or corrupt/);
    expect(refused.get('ABSURD')).toMatch(/claims 65534 bytes/);
    expect(summary.skipped.map((s) => s.path).sort()).toEqual([
      'AUTORUN.INF',
      'Viewer/plugins/codec.dll',
      'Viewer/viewer.exe',
      'data/NOTES',
      'data/bad/EMPTY',
      'index.htm',
    ]);
  });
});
