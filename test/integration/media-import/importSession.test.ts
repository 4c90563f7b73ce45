/**
 * Issue 8 through the station's contract (what the import screen calls): open a dcmmkdir-built
 * disc, browse it (patients, studies, preview, PDF), reconcile each outside patient, start the
 * import, follow the progress events to a closing report with storage commitment from a real
 * Orthanc, which then holds the local patient's ID with the originals preserved.
 */
import { mkdir, mkdtemp, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, MethodOutput } from '../../../preload/contract';
import { dispatch } from '../../../main/core/rpc/dispatch';
import { createStation, type Station } from '../../../main/core/station/createStation';
import { expectValidDicom, freePort, startOrthanc, type Orthanc } from '../../services';
import { makeDicomdir, multiPatientInstances, OUTSIDE_PDF, writeDiscInstance } from './buildDisc';

const LOCAL = {
  name: { alphabetic: 'Jørgensen^Åse' },
  id: 'LOC-42',
  issuer: 'HOSP',
  birthDate: '19800101',
  sex: 'F' as const,
};

describe('import sessions against Orthanc with storage commitment', () => {
  let orthanc: Orthanc;
  let station: Station;
  let home: string;
  const events: { name: EventName; payload: unknown }[] = [];

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'import-session-'));
    const scpPort = await freePort();
    orthanc = await startOrthanc({
      modalities: { STATION: { aet: 'CAPTURE1', host: '127.0.0.1', port: scpPort } },
    });
    const configFile = join(home, 'config.json');
    await writeFile(
      configFile,
      JSON.stringify({
        station: { aeTitle: 'CAPTURE1', scpPort },
        destinations: {
          pacs: {
            type: 'dimse',
            host: '127.0.0.1',
            port: orthanc.dicomPort,
            calledAeTitle: orthanc.aet,
            commit: true,
          },
        },
      }),
    );
    // The station's data folder apart from the discs: a folder inside it is refused as a medium.
    station = createStation({ configFile, env: { CAPTURE_STATION_HOME: join(home, 'data') } });
    station.onEvent((name, payload) => events.push({ name, payload }));
  });
  afterAll(async () => {
    await station?.close();
    await orthanc?.stop({ graceMs: 0 });
  });

  async function call<M extends keyof typeof station.handlers>(method: M, payload: unknown) {
    const result = await dispatch(station.handlers, method, payload);
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    return result.value as MethodOutput<M>;
  }

  it('refuses a relative folder and a folder that does not exist, naming them', async () => {
    await expect(call('openMedia', { root: 'disc' })).rejects.toThrow(
      /invalid-payload: .*"root": the folder must be an absolute path/,
    );
    await expect(call('openMedia', { root: join(home, 'nowhere') })).rejects.toThrow(
      /nowhere: no such folder on the station computer/,
    );
    await expect(call('openMedia', { root: '/' })).rejects.toThrow(
      /^failed: \/: not a disc or a folder of images/,
    );
    await expect(call('openMedia', { root: '/proc/self' })).rejects.toThrow(/not a disc/);
    await mkdir(join(home, 'data', 'outbox'), { recursive: true });
    await expect(call('openMedia', { root: join(home, 'data', 'outbox') })).rejects.toThrow(
      /this is the station's own data folder/,
    );
    // No disc is mounted on this test machine: an empty list, and nothing says detection fails.
    expect(await call('listMedia', {})).toEqual({ media: [] });
  });

  it('browses, reconciles, imports with progress and reports committed files', async () => {
    const disc = join(home, 'disc');
    const instances = multiPatientInstances();
    for (const i of instances) await writeDiscInstance(disc, i);
    await makeDicomdir(disc);
    await mkdir(join(disc, 'REPORTS'));
    await writeFile(join(disc, 'REPORTS', 'LETTER.PDF'), OUTSIDE_PDF);

    const session = await call('openMedia', { root: disc });
    expect(session.dicomdir).toBe('DICOMDIR');
    expect(session.patients.map((p) => [p.name, p.patientId, p.studies.length])).toEqual([
      ['Müller^Otto', 'OUT-1', 2],
      ['Ñúñez^Ana', 'OUT-2', 1],
    ]);
    expect(session.pdfs).toEqual([
      { id: 'pdf-1', path: 'REPORTS/LETTER.PDF', bytes: OUTSIDE_PDF.length },
    ]);
    const [otto, ana] = session.patients;
    const study = otto?.studies[0];
    expect(study).toMatchObject({ seriesCount: 2, instanceCount: 3, modalities: ['OT', 'XC'] });

    const thumb = await call('getStudyThumbnail', {
      sessionId: session.sessionId,
      studyInstanceUid: study?.studyInstanceUid,
    });
    const meta = await sharp(Buffer.from(thumb.jpegBase64 ?? '', 'base64')).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 16, 16]);

    const check = await call('checkReconciliation', {
      sessionId: session.sessionId,
      outsideKey: otto?.key,
      patient: LOCAL,
    });
    expect(check.mismatches.map((m) => m.attribute)).toEqual(['family name', 'birth date', 'sex']);
    const assignment = { outsideKey: otto?.key, patient: LOCAL, accessionNumber: 'ACC-9' };
    const pdfs = [{ id: 'pdf-1', studyInstanceUid: study?.studyInstanceUid }];
    await expect(
      call('startImport', { sessionId: session.sessionId, assignments: [assignment], pdfs }),
    ).rejects.toThrow(/differs from the local patient: family name "Müller\^Otto" vs .*confirm/);
    await expect(
      call('startImport', {
        sessionId: session.sessionId,
        assignments: [{ ...assignment, acceptMismatch: check.mismatches }],
        pdfs: [{ id: 'pdf-9', studyInstanceUid: study?.studyInstanceUid }],
      }),
    ).rejects.toThrow(/PDF pdf-9 is not on this medium/);

    const started = await call('startImport', {
      sessionId: session.sessionId,
      assignments: [{ ...assignment, acceptMismatch: check.mismatches }],
      pdfs,
    });
    expect(started.phase).toBe('importing');
    const report = await waitForFinished(session.sessionId);
    expect(report.counts).toEqual({
      imported: 5,
      skipped: 3,
      sent: 5,
      committed: 5,
      failed: 0,
      cancelled: 0,
    });
    expect(report.imported.every((i) => i.state === 'committed')).toBe(true);
    expect(report.imported.filter((i) => i.kind === 'pdf').map((i) => i.source)).toEqual([
      'REPORTS/LETTER.PDF',
    ]);
    expect(report.skipped.map((s) => s.reason)).toEqual(
      Array(3).fill(`outside patient ${ana?.name} (OUT-2) was not assigned a local patient`),
    );
    const progress = events
      .filter((e) => e.name === 'mediaImportProgress')
      .map((e) => e.payload as { phase: string; done: number; total: number });
    expect(progress.filter((p) => p.phase === 'importing').map((p) => p.done)).toEqual([
      1, 2, 3, 4, 5,
    ]);
    expect(progress.at(-1)).toEqual(expect.objectContaining({ phase: 'done', done: 5, total: 5 }));

    const stored = (await (await fetch(`${orthanc.baseUrl}/instances?expand`)).json()) as {
      ID: string;
      MainDicomTags: { SOPInstanceUID: string };
    }[];
    expect(stored).toHaveLength(5);
    const patients = (await (await fetch(`${orthanc.baseUrl}/patients?expand`)).json()) as {
      MainDicomTags: { PatientID: string; PatientName: string };
      Studies: string[];
    }[];
    expect(patients.map((p) => p.MainDicomTags)).toEqual([
      expect.objectContaining({ PatientID: 'LOC-42', PatientName: 'Jørgensen^Åse' }),
    ]);
    // The PDF joined the outside study: two studies in all, not three; and it is a valid IOD.
    expect(patients[0]?.Studies).toHaveLength(2);
    const pdfUid = report.imported.find((i) => i.kind === 'pdf')?.sopInstanceUid;
    const pdfId = stored.find((i) => i.MainDicomTags.SOPInstanceUID === pdfUid)?.ID;
    const pdfFile = join(home, 'pdf-from-orthanc.dcm');
    await writeFile(
      pdfFile,
      Buffer.from(await (await fetch(`${orthanc.baseUrl}/instances/${pdfId}/file`)).arrayBuffer()),
    );
    await expectValidDicom(pdfFile);
    await expect(
      call('startImport', { sessionId: session.sessionId, assignments: [assignment] }),
    ).rejects.toThrow(/already being imported/);
    expect(await call('closeMedia', { sessionId: session.sessionId })).toEqual({ closed: true });
    await expect(call('getImportReport', { sessionId: session.sessionId })).rejects.toThrow(
      /closed or unknown/,
    );
  });

  it('scans a disc whose DICOMDIR leads nowhere and says so', async () => {
    const disc = join(home, 'moved');
    for (const i of multiPatientInstances().slice(0, 2)) await writeDiscInstance(disc, i);
    await makeDicomdir(disc);
    await rename(join(disc, 'DICOM'), join(disc, 'IMAGES'));
    const session = await call('openMedia', { root: disc });
    expect(session.dicomdir).toBeUndefined();
    expect(session.scannedBecause).toMatch(
      /^DICOMDIR: none of its \d+ file references resolves to a file on the medium; the disc is scanned instead$/,
    );
    expect(session.patients.flatMap((p) => p.studies.map((s) => s.instanceCount))).toEqual([2]);
  });

  /** The UI follows events, not polls: wait for the report event that says finished. */
  async function waitForFinished(sessionId: string) {
    const deadline = Date.now() + 60_000;
    const finished = () =>
      events.find(
        (e) =>
          e.name === 'mediaImportReport' &&
          (e.payload as { sessionId: string; finished: boolean }).sessionId === sessionId &&
          (e.payload as { finished: boolean }).finished,
      );
    while (!finished() && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    return call('getImportReport', { sessionId });
  }
});
