/**
 * Issue 8, review of hostile media, the data-loss case: UIDMIX is a copy of IM2 whose meta group
 * (0002,0003) names a new UID while its data set (0008,0018) holds IM1's. The import took the
 * meta group's UID, so it saw three instances; Orthanc files by the data set's UID and kept
 * UIDMIX's pixels (sent first: its name sorts first) as IM1. Now UIDMIX is refused and Orthanc
 * holds IM1 and IM2 with their own pixel data.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli';
import type { ImportReport } from '../../../main/core/media-import';
import { useArchiveStation } from '../outbox/stationFixture';
import { patched } from '../../unit/media-import/spliceElements';
import { multiPatientInstances, pixelBytes, uid, writeDiscInstance } from './buildDisc';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('capture-station import of a disc with a file whose meta group and data set disagree', () => {
  const archive = useArchiveStation();

  it('refuses that file, and nothing overwrites IM1 in the archive', async () => {
    const disc = join(archive.station.media, 'disc');
    const [im1, im2] = multiPatientInstances().slice(0, 2);
    if (!im1 || !im2) throw new Error('fixture');
    await writeDiscInstance(disc, { ...im1, file: 'DICOM/IM1' });
    const im2Path = await writeDiscInstance(disc, { ...im2, file: 'DICOM/IM2' });
    const newUid = uid(1, 1, 1, 7);
    expect(newUid).toHaveLength(im1.sopInstanceUid.length);
    const im2Bytes = await readFile(im2Path);
    const metaFirst = patched(im2Bytes, im2.sopInstanceUid, newUid); // (0002,0003)
    const uidmix = patched(metaFirst, im2.sopInstanceUid, im1.sopInstanceUid); // (0008,0018)
    await writeFile(join(disc, 'DICOM/A_UIDMIX'), uidmix);

    const patientFile = join(archive.station.home, 'patient.json');
    await writeFile(
      patientFile,
      JSON.stringify({ patientId: 'LOC-7', name: im1.patientName, birthDate: im1.birthDate }),
    );
    const { configFile } = archive.station;
    const args = ['--config', configFile, '--json', 'import', disc, '--patient', patientFile];
    const done = await cli(...args, '--dest', 'pacs', '--accept-mismatch');
    expect(done.code, done.err.join('\n')).toBe(0);
    const report = JSON.parse(done.out[0] ?? '{}') as ImportReport;
    expect(report.imported.map((i) => i.sopInstanceUid)).toEqual([
      im1.sopInstanceUid,
      im2.sopInstanceUid,
    ]);
    expect(report.skipped).toEqual([
      {
        path: expect.stringMatching(/A_UIDMIX$/) as unknown,
        reason: `SOP Instance UID: meta group says ${newUid}, data set (0008,0018) says ${im1.sopInstanceUid}; not imported`,
      },
    ]);
    const sent = await cli('--config', configFile, 'queue', 'run', '--until-empty');
    expect(sent.code, sent.err.join('\n')).toBe(0);

    const stored = (await (await fetch(`${archive.orthanc.baseUrl}/instances?expand`)).json()) as {
      ID: string;
      MainDicomTags: { SOPInstanceUID: string };
    }[];
    expect(stored.map((s) => s.MainDicomTags.SOPInstanceUID).sort()).toEqual(
      [im1.sopInstanceUid, im2.sopInstanceUid].sort(),
    );
    const download = join(archive.station.home, 'from-orthanc');
    await mkdir(download);
    for (const instance of stored) {
      const file = join(download, `${instance.ID}.dcm`);
      const url = `${archive.orthanc.baseUrl}/instances/${instance.ID}/file`;
      await writeFile(file, Buffer.from(await (await fetch(url)).arrayBuffer()));
      const name = instance.MainDicomTags.SOPInstanceUID === im1.sopInstanceUid ? 'IM1' : 'IM2';
      expect((await pixelBytes(file)).equals(await pixelBytes(join(disc, 'DICOM', name)))).toBe(
        true,
      );
    }
  });
});
