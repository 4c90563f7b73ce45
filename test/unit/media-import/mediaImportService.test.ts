/**
 * MediaImportService (issue 8) between the screen and the outbox: a confirmation counts only for
 * the differences the person saw, an outside PDF is imported only as the survey read it, and the
 * report never counts a cancelled delivery as sent.
 */
import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../../preload/shapes';
import { PDF_CHANGED_REASON } from '../../../main/core/media-import/importPdf';
import { DISC_REMOVED_REASON } from '../../../main/core/media-import/MediaImportService';
import { openForReading, type OpenFile } from '../../../main/core/media-import/types';
import { harness, PDF, writeDisc, type OutsideImage } from './serviceHarness';

const h = harness();
afterAll(() => rmSync(h.base, { recursive: true, force: true }));

const DOE = { n: 1, id: 'OUT-1', name: 'DOE^JANE', birthDate: '19700101', sex: 'F' };
/** Local patient A: the disc's patient, born a day later in the local record. */
const A = {
  name: { alphabetic: 'DOE^JANE' },
  id: 'LOC-1',
  birthDate: '19700102',
  sex: 'F' as const,
};
/** Local patient B: someone else. */
const B = { name: { alphabetic: 'ROE^RICHARD' }, id: 'LOC-2', birthDate: '19700102' };

let discs = 0;
async function openDisc(
  files: Record<string, Buffer | string> = {},
  images: readonly OutsideImage[] = [DOE],
) {
  const root = writeDisc(join(h.base, `disc${++discs}`), images, files);
  return { root, session: await h.service.open(root) };
}

describe('MediaImportService: a confirmation names what was confirmed', () => {
  it('refuses another local patient, or a difference nobody saw; accepts the shown list', async () => {
    const { session } = await openDisc();
    const outsideKey = session.patients[0]?.key ?? '';
    const shown = h.service.check(session.sessionId, outsideKey, A);
    expect(shown).toEqual([{ attribute: 'birth date', outside: '19700101', local: '19700102' }]);
    const start = (patient: Patient) =>
      h.service.start({
        sessionId: session.sessionId,
        assignments: [{ outsideKey, patient, acceptMismatch: shown }],
      });
    expect(() => start(B)).toThrow(
      /the local patient or the disc changed since the confirmation .*family name "DOE\^JANE" vs "ROE\^RICHARD".*check the patients again/,
    );
    // A's record edited after the confirmation: now the sex differs too, which nobody saw.
    expect(() => start({ ...A, sex: 'M' })).toThrow(
      /changed since the confirmation.*sex "F" vs "M"/,
    );
    expect(() =>
      h.service.start({ sessionId: session.sessionId, assignments: [{ outsideKey, patient: A }] }),
    ).toThrow(/differs from the local patient: birth date .*confirm to import anyway/);
    expect(start(A).phase).toBe('importing');
    const done = await h.sendAll(session.sessionId);
    expect(done.counts).toMatchObject({ imported: 1, skipped: 0 });
  });
});

describe('MediaImportService: outside PDFs are imported only as surveyed', () => {
  it('skips the PDF of a disc swapped at the same mount point, in plain words', async () => {
    const { root, session } = await openDisc({ 'REPORT.PDF': PDF }, [{ ...DOE, n: 5 }]);
    const outsideKey = session.patients[0]?.key ?? '';
    const study = session.patients[0]?.studies[0]?.studyInstanceUid ?? '';
    // Disc B (ROE) in the drive now: same layout, its own letter under the same name.
    writeFileSync(
      join(root, 'REPORT.PDF'),
      Buffer.from(PDF.toString('latin1').replace('1 0', '2 0'), 'latin1'),
    );
    h.service.start({
      sessionId: session.sessionId,
      assignments: [{ outsideKey, patient: { ...A, birthDate: '19700101' } }],
      pdfs: [{ id: 'pdf-1', studyInstanceUid: study }],
    });
    const done = await h.sendAll(session.sessionId);
    expect(done.imported.map((i) => i.kind)).toEqual(['image']);
    expect(done.skipped).toEqual([{ path: 'REPORT.PDF', reason: PDF_CHANGED_REASON }]);
  });

  it('reads nothing more from a disc unmounted mid-import and says why per file', async () => {
    let onOpen: (() => void) | undefined;
    const opened: string[] = [];
    const openFile: OpenFile = (path) => {
      opened.push(path);
      onOpen?.();
      return openForReading(path);
    };
    const own = harness({ openFile });
    const images = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({ ...DOE, n: 10 + n }));
    const root = writeDisc(join(own.base, 'disc'), images);
    const session = await own.service.open(root);
    own.service.mediaChanged([{ root }]);
    const assignments = [
      { outsideKey: session.patients[0]?.key ?? '', patient: { ...A, birthDate: '19700101' } },
    ];
    // The first file the import opens: the drive is emptied (the watcher's next poll).
    onOpen = () => {
      onOpen = undefined;
      own.service.mediaChanged([]);
    };
    opened.length = 0;
    own.service.start({ sessionId: session.sessionId, assignments });
    const done = await own.sendAll(session.sessionId);
    rmSync(own.base, { recursive: true, force: true });
    const removed = done.skipped.filter((s) => s.reason === DISC_REMOVED_REASON);
    expect(done.counts.imported + removed.length).toBe(8);
    expect(removed.length).toBeGreaterThan(0);
    // Nothing is opened once the disc is gone (those in flight at that moment excepted).
    expect(opened.length).toBe(done.counts.imported);
    // And a session whose disc is gone cannot start again.
    expect(() => own.service.start({ sessionId: session.sessionId, assignments })).toThrow(
      /already being imported|the disc was removed/,
    );
  });
});

describe('MediaImportService: cancelled deliveries', () => {
  it('are finished and counted apart, never as sent', async () => {
    const { session } = await openDisc({}, [
      { ...DOE, n: 3 },
      { ...DOE, n: 4 },
    ]);
    h.service.start({
      sessionId: session.sessionId,
      assignments: [
        { outsideKey: session.patients[0]?.key ?? '', patient: { ...A, birthDate: '' } },
      ],
    });
    const [one, two] = (await h.until('sending', session.sessionId)).imported;
    h.deliveries.set(one?.sopInstanceUid ?? '', { pacs: { state: 'cancelled' } });
    h.deliveries.set(two?.sopInstanceUid ?? '', { pacs: { state: 'sent' } });
    h.outboxChanged();
    const done = await h.until('done', session.sessionId);
    expect(done.counts).toMatchObject({ imported: 2, sent: 1, cancelled: 1, failed: 0 });
    expect(done.imported.map((i) => i.state)).toEqual(['cancelled', 'sent']);
  });
});

describe('MediaImportService: the report lists what could have been imported', () => {
  it('passes over viewers and autorun, lists a PDF once: imported, or not chosen', async () => {
    const { session } = await openDisc(
      {
        'AUTORUN.INF': '[autorun]\n',
        'VIEWER/VIEWER.EXE': 'MZ',
        'REPORTS/A.PDF': PDF,
        'REPORTS/B.PDF': PDF,
      },
      [{ ...DOE, n: 20 }],
    );
    expect(session.pdfs.map((p) => [p.id, p.path])).toEqual([
      ['pdf-1', 'REPORTS/A.PDF'],
      ['pdf-2', 'REPORTS/B.PDF'],
    ]);
    const study = session.patients[0]?.studies[0]?.studyInstanceUid ?? '';
    const request = {
      sessionId: session.sessionId,
      assignments: [
        { outsideKey: session.patients[0]?.key ?? '', patient: { ...A, birthDate: '' } },
      ],
      pdfs: [{ id: 'pdf-1', studyInstanceUid: study }],
    };
    expect(() => h.service.start({ ...request, pdfs: [...request.pdfs, ...request.pdfs] })).toThrow(
      /REPORTS\/A\.PDF is chosen twice/,
    );
    h.service.start(request);
    const done = await h.sendAll(session.sessionId);
    expect(done.imported.map((i) => [i.source, i.kind])).toEqual([
      ['IM20', 'image'],
      ['REPORTS/A.PDF', 'pdf'],
    ]);
    expect(done.skipped).toEqual([{ path: 'REPORTS/B.PDF', reason: 'not chosen for import' }]);
    expect(done.passedOver).toBe(2);
    expect(done.counts).toMatchObject({ imported: 2, skipped: 1, sent: 2 });
  });
});

describe('MediaImportService: sessions and their imports', () => {
  /** A harness whose outbox takes files only once `release` is called. */
  function gated() {
    let release!: () => void;
    const open = new Promise<void>((resolve) => (release = resolve));
    const own = harness({
      deliver: async (file) => {
        await open;
        rmSync(file);
      },
    });
    return { own, release };
  }

  it('keeps a session closed mid-import until its run is done, then drops it', async () => {
    const { own, release } = gated();
    const root = writeDisc(join(own.base, 'disc'), [{ ...DOE, n: 30 }]);
    const session = await own.service.open(root);
    const outsideKey = session.patients[0]?.key ?? '';
    own.service.start({
      sessionId: session.sessionId,
      assignments: [{ outsideKey, patient: { ...A, birthDate: '' } }],
    });
    expect(own.service.close(session.sessionId)).toBe(true);
    await expect(own.service.report(session.sessionId)).rejects.toThrow(/closed or unknown/);
    release();
    const done = await own.sendAll(session.sessionId);
    expect(done.counts).toMatchObject({ imported: 1, sent: 1 });
    expect(own.listeners()).toBe(0);
    expect(own.service.close(session.sessionId)).toBe(false); // dropped by now
    rmSync(own.base, { recursive: true, force: true });
  });

  it('never drops a running import for the session cap; no outbox listener outlives a run', async () => {
    const { own, release } = gated();
    const root = writeDisc(join(own.base, 'disc'), [{ ...DOE, n: 31 }]);
    const first = await own.service.open(root);
    own.service.start({
      sessionId: first.sessionId,
      assignments: [{ outsideKey: first.patients[0]?.key ?? '', patient: { ...A, birthDate: '' } }],
    });
    const later = [];
    for (let i = 0; i < 9; i++) later.push(await own.service.open(root));
    // The cap (8) dropped the oldest idle sessions, not the running one.
    await expect(own.service.report(first.sessionId)).resolves.toMatchObject({
      phase: 'importing',
    });
    await expect(own.service.report(later[0]?.sessionId ?? '')).rejects.toThrow(/closed/);
    release();
    await own.until('sending', first.sessionId);
    expect(own.listeners()).toBe(1);
    own.service.closeAll();
    expect(own.listeners()).toBe(0);
    rmSync(own.base, { recursive: true, force: true });
  });
});

describe('MediaImportService: what may be opened and imported to', () => {
  it("refuses the station's own data folder, a folder in it, and one holding it", async () => {
    const spool = join(h.dataFolder, 'outbox');
    writeDisc(spool, [{ ...DOE, n: 40 }]);
    symlinkSync(h.dataFolder, join(h.base, 'innocent'));
    for (const root of [h.dataFolder, spool, join(h.base, 'innocent')])
      await expect(h.service.open(root)).rejects.toThrow(
        /this is the station's own data folder .*other patients' images/,
      );
    await expect(h.service.open(h.base)).rejects.toThrow(/holds the station's own data folder/);
  });

  it('refuses a local patient that is not valid DICOM, naming the field', async () => {
    const { session } = await openDisc({}, [{ ...DOE, n: 41 }]);
    const key = session.patients[0]?.key ?? '';
    const check = (patient: Patient) => h.service.check(session.sessionId, key, patient);
    const cases: [Partial<Patient>, RegExp][] = [
      [{ id: '' }, /Patient ID is empty/],
      [{ id: 'X'.repeat(65) }, /Patient ID is longer than 64/],
      [{ id: 'A\\B' }, /Patient ID holds a backslash/],
      [{ issuer: 'HOSP\n' }, /Issuer of Patient ID holds .*control/],
      [{ birthDate: '1970-01-01' }, /birth date "1970-01-01" is not a date as YYYYMMDD/],
      [{ name: { alphabetic: 'DOE^JANE\\X' } }, /name holds a backslash/],
      [{ name: { alphabetic: 'DOE=JANE' } }, /name holds '='/],
      [{ name: { alphabetic: `${'D'.repeat(65)}^JANE` } }, /name has a component longer than 64/],
      [{ name: { alphabetic: 'A^B^C^D^E^F' } }, /name has more than 5 components/],
      [{ name: { alphabetic: 'DOE^JANE', phonetic: 'do\u0007' } }, /phonetic name holds/],
    ];
    for (const [change, message] of cases) {
      expect(() => check({ ...A, ...change })).toThrow(message);
      expect(() =>
        h.service.start({
          sessionId: session.sessionId,
          assignments: [{ outsideKey: key, patient: { ...A, ...change } }],
        }),
      ).toThrow(message);
    }
    expect(check({ ...A, birthDate: '', sex: '' })).toEqual([]);
  });

  it('gives an ID-less patient with a long name a key within the contract', async () => {
    // Five components within PN's 64 characters each: 254 characters, a key of 267.
    const long = ['A', 'B', 'C', 'D', 'E'].map((c) => c.repeat(50)).join('^');
    const { session } = await openDisc({}, [{ n: 42, id: '', name: long }]);
    const key = session.patients[0]?.key ?? '';
    expect(key).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(key.length).toBeLessThanOrEqual(200);
    const shown = h.service.check(session.sessionId, key, A);
    expect(shown).toMatchObject([{ attribute: 'family name' }]);
    h.service.start({
      sessionId: session.sessionId,
      assignments: [{ outsideKey: key, patient: A, acceptMismatch: shown }],
    });
    expect((await h.sendAll(session.sessionId)).counts).toMatchObject({ imported: 1 });
  });
});
