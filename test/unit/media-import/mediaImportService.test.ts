/**
 * MediaImportService (issue 8) between the screen and the outbox: a confirmation counts only for
 * the differences the person saw, an outside PDF is imported only as the survey read it, and the
 * report never counts a cancelled delivery as sent.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PDF_CHANGED_REASON } from '../../../main/core/media-import/importPdf';
import { DISC_REMOVED_REASON } from '../../../main/core/media-import/MediaImportService';
import { openForReading, type OpenFile } from '../../../main/core/media-import/types';
import { harness, PDF, writeDisc } from './serviceHarness';

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
async function openDisc(files: Record<string, Buffer | string> = {}, images = [DOE]) {
  const root = writeDisc(join(h.base, `disc${++discs}`), images, files);
  return { root, session: await h.service.open(root) };
}

describe('MediaImportService: a confirmation names what was confirmed', () => {
  it('refuses another local patient, or a difference nobody saw; accepts the shown list', async () => {
    const { session } = await openDisc();
    const outsideKey = session.patients[0]?.key ?? '';
    const shown = h.service.check(session.sessionId, outsideKey, A);
    expect(shown).toEqual([{ attribute: 'birth date', outside: '19700101', local: '19700102' }]);
    const start = (patient: typeof A | typeof B) =>
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
    expect(done.skipped).toContainEqual({ path: 'REPORT.PDF', reason: PDF_CHANGED_REASON });
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
