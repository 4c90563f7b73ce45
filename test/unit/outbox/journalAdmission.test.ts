/**
 * Admission to the journal (FileJobStore with admitToJournal, admitBatch.ts, UpdateJournal.ts):
 * the spool lock's holder records a job as a journal line instead of a job file. The order that
 * recovery relies on is the same — the admission line durable before the instance is placed, the
 * instance removed before the job is forgotten — and every reader sees the jobs as before.
 */
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SYNC_WHOLE_MIN } from '../../../main/core/outbox/admitBatch';
import { FileJobStore } from '../../../main/core/outbox/JobStore';
import { newDelivery, type JobRecord } from '../../../main/core/outbox/jobTypes';
import { UpdateJournal } from '../../../main/core/outbox/UpdateJournal';
import { makeHarness, type Harness } from './harness';
import { renameHook, resetRenameHook } from './renameHook';

vi.mock('node:fs/promises', async (original) =>
  (await import('./renameHook')).withRenameHook(original),
);

afterEach(resetRenameHook);

const spoolOf = (h: Harness) => join(h.folder, 'outbox');
const journalOf = (h: Harness) => join(spoolOf(h), 'jobs', 'updates.jsonl');

async function journalLines(h: Harness): Promise<Record<string, unknown>[]> {
  const text = await readFile(journalOf(h), 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** A harness whose store admits to the journal, and `count` instances enqueued (move). */
async function admittedByJournal(count: number): Promise<{ h: Harness; jobs: JobRecord[] }> {
  const h = await makeHarness(['pacs'], { admitToJournal: true });
  const outbox = await h.open();
  const files = await Promise.all(Array.from({ length: count }, (_, i) => h.makeInstance(i + 1)));
  const results = await outbox.enqueueMany(files, { mode: 'move' });
  expect(results.map((r) => r.status)).toEqual(files.map(() => 'fulfilled'));
  const jobs = [...(await h.store.load({ recover: false }))].sort((a, b) =>
    a.id.localeCompare(b.id),
  );
  return { h, jobs };
}

describe('jobs admitted to the journal', () => {
  it('leaves no job file, and a fresh store reads every job back, before and after recovery', async () => {
    const { h, jobs } = await admittedByJournal(SYNC_WHOLE_MIN + 2);
    expect(jobs).toHaveLength(SYNC_WHOLE_MIN + 2);
    expect(await readdir(join(spoolOf(h), 'jobs'))).toEqual(['updates.jsonl']);
    expect((await journalLines(h)).every((line) => line.admitted === true)).toBe(true);
    const ids = jobs.map((j) => j.id);

    const follower = new FileJobStore(spoolOf(h)); // a status reader, no lock
    expect((await follower.load({ recover: false })).map((j) => j.id).sort()).toEqual(ids);
    const restarted = new FileJobStore(spoolOf(h), undefined, { admitToJournal: true });
    expect((await restarted.load({ recover: true })).map((j) => j.id).sort()).toEqual(ids);
    // Recovery compacted the journal: the admission lines are still admission lines.
    expect((await journalLines(h)).every((line) => line.admitted === true)).toBe(true);
    const again = new FileJobStore(spoolOf(h));
    expect((await again.load({ recover: true })).map((j) => j.id).sort()).toEqual(ids);
  });

  it('makes every admission line durable before placing any instance of the group', async () => {
    const h = await makeHarness(['pacs'], { admitToJournal: true });
    const outbox = await h.open();
    const files = await Promise.all(
      Array.from({ length: SYNC_WHOLE_MIN }, (_, i) => h.makeInstance(i + 1)),
    );
    let placed = 0;
    renameHook.before = (_from, to) => {
      if (basename(dirname(to)) !== 'files') return;
      placed += 1;
      expect(readFileSync(journalOf(h), 'utf8')).toContain(`"id":"${basename(to, '.dcm')}"`);
    };
    await outbox.enqueueMany(files, { mode: 'move' });
    expect(placed).toBe(SYNC_WHOLE_MIN);
  });

  it('forgets a removed job after its instance, and recovery keeps it forgotten', async () => {
    const { h, jobs } = await admittedByJournal(2);
    const [kept, removed] = jobs;
    if (!kept || !removed) throw new Error('jobs not admitted');

    await h.store.remove(removed.id);

    expect(await readdir(join(spoolOf(h), 'files'))).toEqual([`${kept.id}.dcm`]);
    expect((await journalLines(h)).at(-1)).toEqual({ removed: removed.id });
    const recovered = await new FileJobStore(spoolOf(h)).load({ recover: true });
    expect(recovered.map((j) => j.id)).toEqual([kept.id]);
    expect((await journalLines(h)).map((line) => line.id)).toEqual([kept.id]);
  });

  it('drops, on recovery, a job admitted but never placed (a crash between the two)', async () => {
    const { h, jobs } = await admittedByJournal(1);
    const orphan: JobRecord = {
      ...(jobs[0] as JobRecord),
      id: 'crashed-before-placing',
      deliveries: { pacs: newDelivery(false) },
    };
    await new UpdateJournal(journalOf(h)).admit([orphan]);

    const recovered = await new FileJobStore(spoolOf(h)).load({ recover: true });

    expect(recovered.map((j) => j.id)).toEqual([jobs[0]?.id]);
    expect((await journalLines(h)).map((line) => line.id)).toEqual([jobs[0]?.id]);
  });

  it('keeps the newest state of a journal-admitted job over its admission line', async () => {
    const { h, jobs } = await admittedByJournal(1);
    const job = jobs[0] as JobRecord;
    const sent = newDelivery(false);
    await h.store.save({ ...job, deliveries: { pacs: { ...sent, state: 'sent', attempts: 1 } } });

    const restarted = new FileJobStore(spoolOf(h), undefined, { admitToJournal: true });
    const [reloaded] = await restarted.load({ recover: true });
    expect(reloaded?.deliveries.pacs?.state).toBe('sent');
    // One line per job after compaction, still marked as its admission.
    expect(await journalLines(h)).toEqual([
      expect.objectContaining({ admitted: true, id: job.id }),
    ]);
    await restarted.remove(job.id);
    expect(await new FileJobStore(spoolOf(h)).load({ recover: true })).toEqual([]);
  });

  it('recovers a spool holding both kinds: job files from another process, lines from the sender', async () => {
    const { h, jobs } = await admittedByJournal(2);
    const other = new FileJobStore(spoolOf(h)); // `queue add` while the app sends: job files
    const fromOther: JobRecord = { ...(jobs[0] as JobRecord), id: 'from-other-process' };
    const [error] = await other.admitMany([
      { job: fromOther, source: await h.makeInstance(9), mode: 'move' },
    ]);
    expect(error).toBeUndefined();
    expect(await readdir(join(spoolOf(h), 'jobs'))).toContain('from-other-process.json');

    const restarted = new FileJobStore(spoolOf(h), undefined, { admitToJournal: true });
    const recovered = await restarted.load({ recover: true });
    expect(recovered.map((j) => j.id).sort()).toEqual(
      [...jobs.map((j) => j.id), fromOther.id].sort(),
    );

    for (const job of recovered) await restarted.remove(job.id);
    expect(await new FileJobStore(spoolOf(h)).load({ recover: true })).toEqual([]);
    expect(await readdir(join(spoolOf(h), 'files'))).toEqual([]);
    expect(await readdir(join(spoolOf(h), 'jobs'))).toEqual([]);
  });
});
