/**
 * `capture-station import`'s contract at its edges: what P.json and the flags may hold (a typo or
 * a second value must stop it, never be dropped or split), PATH that is not a folder, one JSON
 * shape for a dry run and an import, and choosing one of several patients without a Patient ID.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli';
import { makeStation, type Station } from '../outbox/stationFixture';
import { uid, writeDiscInstance, type DiscInstance } from './buildDisc';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

/** Two patients without a Patient ID (it happens on discs burnt by small practices). */
const noIdInstances = (): DiscInstance[] =>
  ['DOE^JANE', 'DOE^JOHN'].map((patientName, p) => ({
    file: `DICOM/P${p}/IM1`,
    sopInstanceUid: uid(70, p, 1),
    patientId: '',
    patientName,
    birthDate: '19800101',
    studyUid: uid(70, p),
    seriesUid: uid(70, p, 1),
  }));

let station: Station;
let disc: string;
let archive: string;
const previousHome = process.env.CAPTURE_STATION_HOME;
beforeAll(async () => {
  archive = join(await mkdtemp(join(tmpdir(), 'import-cli-archive-')), 'archive');
  station = await makeStation({
    station: { aeTitle: 'CAPTURE1' },
    destinations: { arch: { type: 'folder', path: archive } },
  });
  // The CLI's data folder (spool, import work folders) is the test station's, never the user's.
  process.env.CAPTURE_STATION_HOME = station.home;
  disc = join(station.media, 'disc');
  // No DICOMDIR: dcmmkdir refuses a file without a Patient ID, and such discs are scanned.
  for (const i of noIdInstances()) await writeDiscInstance(disc, i);
});
afterAll(async () => {
  if (previousHome === undefined) delete process.env.CAPTURE_STATION_HOME;
  else process.env.CAPTURE_STATION_HOME = previousHome;
  await rm(station.home, { recursive: true, force: true });
  await rm(station.media, { recursive: true, force: true });
  await rm(join(archive, '..'), { recursive: true, force: true });
});

async function patientFile(name: string, json: object): Promise<string> {
  const file = join(station.home, name);
  await writeFile(file, JSON.stringify(json));
  return file;
}

const importArgs = (patient: string, ...more: string[]) => [
  '--config',
  station.configFile,
  '--json',
  'import',
  disc,
  '--patient',
  patient,
  '--dest',
  'arch',
  ...more,
];

describe('capture-station import: its inputs', () => {
  it('refuses an unknown key in P.json by name instead of dropping it (and its check)', async () => {
    const typo = await patientFile('typo.json', {
      patientId: 'L1',
      name: 'DOE^JANE',
      dob: '19990101',
    });
    const run = await cli(...importArgs(typo, '--dry-run'));
    expect(run.code).toBe(2);
    expect(run.err.join('\n')).toMatch(/typo\.json.*dob/);
  });

  it('refuses a second value hidden in a field (a backslash) and an over-long accession', async () => {
    const twoIds = await patientFile('two.json', { PatientID: 'L1\\L2', PatientName: 'DOE^JANE' });
    const run = await cli(...importArgs(twoIds, '--dry-run'));
    expect(run.code).toBe(2);
    expect(run.err.join('\n')).toMatch(/PatientID: one value: no backslash/);
    const ok = await patientFile('ok.json', { PatientID: 'L1', PatientName: 'DOE^JANE' });
    const long = await cli(...importArgs(ok, '--dry-run', '--accession', 'A'.repeat(17)));
    expect(long.code).toBe(2);
    expect(long.err.join('\n')).toMatch(/--accession: an Accession Number is at most 16/);
  });

  it('says PATH is not a folder, and writes nothing', async () => {
    const ok = await patientFile('ok.json', { PatientID: 'L1', PatientName: 'DOE^JANE' });
    const file = join(disc, 'DICOM', 'P0', 'IM1');
    const before = await readdir(station.home);
    const run = await cli(
      '--config',
      station.configFile,
      'import',
      file,
      '--patient',
      ok,
      '--dest',
      'arch',
    );
    expect(run.code).toBe(2);
    expect(run.err.join('\n')).toMatch(/is not a folder/);
    expect(await readdir(station.home)).toEqual(before);
  });
});

describe("capture-station import: the station's own data folder", () => {
  it("is never read as a medium: its spool holds other patients' images", async () => {
    const ok = await patientFile('ok.json', { PatientID: 'L1', PatientName: 'DOE^JANE' });
    await mkdir(join(station.home, 'outbox'), { recursive: true });
    for (const folder of [station.home, join(station.home, 'outbox')]) {
      const run = await cli('--json', 'import', folder, '--patient', ok, '--dry-run');
      expect(run.code).toBe(2);
      expect(run.err.join('\n')).toMatch(/the station's own data folder/);
    }
  });
});

describe('capture-station import: two patients without an ID', () => {
  it('lists each with the key that chooses it, and imports only the chosen one', async () => {
    const ok = await patientFile('local.json', {
      PatientID: 'LOC-9',
      PatientName: 'DOE^JANE',
      PatientBirthDate: '19800101',
    });
    const dry = await cli(...importArgs(ok, '--dry-run'));
    expect(dry.code).toBe(0);
    const survey = JSON.parse(dry.out[0] ?? '{}') as {
      dicomdir: string | null;
      scannedBecause: string | null;
      patients: { key: string; name: string; seen: { names: string[] } }[];
    };
    expect([survey.dicomdir, survey.scannedBecause]).toEqual([null, null]);
    expect(survey.patients.map((p) => [p.name, p.seen.names])).toEqual([
      ['DOE^JANE', ['DOE^JANE']],
      ['DOE^JOHN', ['DOE^JOHN']],
    ]);

    const ambiguous = await cli(...importArgs(ok, '--outside-id', ''));
    expect(ambiguous.code).not.toBe(0);
    expect(ambiguous.err.join('\n')).toMatch(/choose one by its key/);

    const jane = survey.patients[0]?.key ?? '';
    const done = await cli(...importArgs(ok, '--outside-key', jane));
    expect(done.err).toEqual([]);
    const report = JSON.parse(done.out[0] ?? '{}') as {
      imported: { source: string }[];
      skipped: { path: string; reason: string }[];
      patients: { key: string }[];
    };
    expect(report.imported.map((i) => i.source)).toEqual([expect.stringMatching(/P0\/IM1$/i)]);
    expect(report.skipped.map((s) => s.reason)).toEqual([
      expect.stringMatching(/belongs to outside patient .*DOE\^JOHN/),
    ]);
    expect(report.patients.map((p) => p.key)).toEqual(survey.patients.map((p) => p.key));
    // The run's work folder is gone: every coerced file went into the spool.
    expect(await readdir(join(station.home, 'import'))).toEqual([]);
    const spooled = await readdir(join(station.home, 'outbox', 'files'));
    expect(spooled).toHaveLength(1);
    const bytes = await readFile(join(station.home, 'outbox', 'files', spooled[0] ?? ''));
    expect(bytes.includes(Buffer.from('LOC-9'))).toBe(true);
  });
});
