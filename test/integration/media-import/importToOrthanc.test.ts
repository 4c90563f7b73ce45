/**
 * Issue 8, done-when 2: `capture-station import` reconciles a disc to the local patient and the
 * outbox sends it to Orthanc, which then holds the local patient's ID and name, the originals in
 * Original Attributes Sequence, and pixel data byte-identical to the disc's.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli';
import type { ImportReport } from '../../../main/core/media-import';
import { useArchiveStation } from '../outbox/stationFixture';
import { makeDicomdir, multiPatientInstances, writeDiscInstance, pixelBytes } from './buildDisc';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

/** `capture-station --json import DISC --patient FILE --dest pacs`, as an argument list. */
const importArgs = (configFile: string, disc: string, patientFile: string): string[] => [
  '--config',
  configFile,
  '--json',
  'import',
  disc,
  '--patient',
  patientFile,
  '--dest',
  'pacs',
];

interface OrthancInstance {
  ID: string;
  MainDicomTags: { SOPInstanceUID: string };
}

describe('capture-station import to Orthanc', () => {
  const archive = useArchiveStation();

  it('asks which patient of a multi-patient disc, asks to confirm a mismatch, then imports', async () => {
    const disc = join(archive.station.media, 'disc');
    const instances = multiPatientInstances();
    for (const i of instances) await writeDiscInstance(disc, i);
    await makeDicomdir(disc);
    const patientFile = join(archive.station.home, 'patient.json');
    await writeFile(
      patientFile,
      JSON.stringify({
        patientId: 'LOC-42',
        issuerOfPatientId: 'HOSP',
        name: 'Jørgensen^Åse',
        birthDate: '19800101',
        sex: 'F',
      }),
    );
    const base = importArgs(archive.station.configFile, disc, patientFile);
    const unknown = await cli(...base.slice(0, -1), 'nowhere');
    expect(unknown.code).toBe(2);
    expect(unknown.err[0]).toMatch(/no destination named nowhere/);
    const refused = await cli(...base);
    expect(refused.code).toBe(1);
    expect(refused.err[0]).toMatch(/holds 2 patients .*: choose one/);

    const chosen = [...base, '--accession', 'ACC-9', '--outside-id', 'OUT-1'];
    const mismatch = await cli(...chosen);
    expect(mismatch.code).toBe(1);
    expect(mismatch.err[0]).toContain(
      'family name "Müller^Otto" on the disc vs "Jørgensen^Åse" locally; birth date "19700101" on the disc vs "19800101" locally',
    );
    const done = await cli(...chosen, '--accept-mismatch');
    expect(done.code, done.err.join('\n')).toBe(0);
    const report = JSON.parse(done.out[0] ?? '{}') as ImportReport;
    expect(report.imported).toHaveLength(4);
    expect(report.skipped.map((s) => s.reason)).toEqual(
      Array(3).fill('belongs to outside patient OUT-2 Ñúñez^Ana, not OUT-1 Müller^Otto'),
    );

    const sent = await cli('--config', archive.station.configFile, 'queue', 'run', '--until-empty');
    expect(sent.code, sent.err.join('\n')).toBe(0);
    const patients = (await (await fetch(`${archive.orthanc.baseUrl}/patients?expand`)).json()) as {
      MainDicomTags: { PatientID: string; PatientName: string };
    }[];
    expect(patients.map((p) => p.MainDicomTags)).toEqual([
      expect.objectContaining({ PatientID: 'LOC-42', PatientName: 'Jørgensen^Åse' }),
    ]);
    const stored = (await (
      await fetch(`${archive.orthanc.baseUrl}/instances?expand`)
    ).json()) as OrthancInstance[];
    expect(stored).toHaveLength(4);
    const download = join(archive.station.home, 'from-orthanc');
    await mkdir(download);
    for (const instance of stored) {
      const source = instances.find(
        (i) => i.sopInstanceUid === instance.MainDicomTags.SOPInstanceUID,
      );
      expect(source).toBeDefined();
      const file = join(download, `${instance.ID}.dcm`);
      await writeFile(
        file,
        Buffer.from(
          await (
            await fetch(`${archive.orthanc.baseUrl}/instances/${instance.ID}/file`)
          ).arrayBuffer(),
        ),
      );
      expect(
        (await pixelBytes(file)).equals(await pixelBytes(join(disc, source?.file ?? ''))),
      ).toBe(true);
      const tags = (await (
        await fetch(`${archive.orthanc.baseUrl}/instances/${instance.ID}/tags?simplify`)
      ).json()) as Record<string, unknown>;
      expect(tags).toMatchObject({
        AccessionNumber: 'ACC-9',
        OtherPatientIDsSequence: [expect.objectContaining({ PatientID: 'OUT-1' })],
        OriginalAttributesSequence: [
          expect.objectContaining({
            ReasonForTheAttributeModification: 'COERCE',
            ModifyingSystem: 'CAPTURE1',
            ModifiedAttributesSequence: [
              expect.objectContaining({ PatientID: 'OUT-1', PatientName: 'Müller^Otto' }),
            ],
          }),
        ],
      });
    }
  });
});

describe('capture-station import of a Latin-1 disc for a name Latin-1 cannot write', () => {
  const archive = useArchiveStation();

  it('converts the instances to UTF-8, and Orthanc reads the new name and the original', async () => {
    const disc = join(archive.station.media, 'disc');
    const instances = multiPatientInstances().filter((i) => i.patientId === 'OUT-1');
    for (const i of instances) await writeDiscInstance(disc, i); // ISO_IR 100, "Müller^Otto"
    await makeDicomdir(disc);
    const patientFile = join(archive.station.home, 'patient.json');
    const local = { patientId: 'LOC-43', name: 'Łukasiewicz^Jan', birthDate: '19700101', sex: 'M' };
    await writeFile(patientFile, JSON.stringify(local));
    const { configFile } = archive.station;
    const done = await cli(...importArgs(configFile, disc, patientFile), '--accept-mismatch');
    expect(done.code, done.err.join('\n')).toBe(0);
    expect((JSON.parse(done.out[0] ?? '{}') as ImportReport).imported).toHaveLength(
      instances.length,
    );
    const sent = await cli('--config', configFile, 'queue', 'run', '--until-empty');
    expect(sent.code, sent.err.join('\n')).toBe(0);

    const stored = (await (
      await fetch(`${archive.orthanc.baseUrl}/instances?expand`)
    ).json()) as OrthancInstance[];
    expect(stored).toHaveLength(instances.length);
    for (const instance of stored) {
      const tags = (await (
        await fetch(`${archive.orthanc.baseUrl}/instances/${instance.ID}/tags?simplify`)
      ).json()) as Record<string, unknown>;
      expect(tags).toMatchObject({
        SpecificCharacterSet: 'ISO_IR 192',
        PatientID: 'LOC-43',
        PatientName: 'Łukasiewicz^Jan',
        OriginalAttributesSequence: [
          expect.objectContaining({
            ModifiedAttributesSequence: [
              expect.objectContaining({ PatientID: 'OUT-1', PatientName: 'Müller^Otto' }),
            ],
          }),
        ],
      });
    }
  });
});
