/**
 * The update journal (UpdateJournal.ts, FileJobStore.save/load/compact): a job's changes after
 * admission are appended to one file, group-committed, the newest line winning over the job file;
 * torn tails are skipped; the spool's owner compacts it when it recovers and when it stops.
 */
import { existsSync } from 'node:fs';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileJobStore } from '../../../main/core/outbox/JobStore';
import type { Delivery, JobRecord } from '../../../main/core/outbox/jobTypes';
import { makeHarness, until, type Harness } from './harness';
import { testUid } from './instanceFixture';

const journalOf = (h: Harness) => join(h.folder, 'outbox', 'jobs', 'updates.jsonl');

function withDelivery(job: JobRecord, change: Partial<Delivery>): JobRecord {
  const pacs = job.deliveries.pacs as Delivery;
  return { ...job, deliveries: { ...job.deliveries, pacs: { ...pacs, ...change } } };
}

/** Admits `count` instances through a real outbox (not started: nothing is sent). */
async function admitted(h: Harness, count: number): Promise<JobRecord[]> {
  const outbox = await h.open();
  const files = await Promise.all(Array.from({ length: count }, (_, i) => h.makeInstance(i + 1)));
  await outbox.enqueueMany(files, { mode: 'move' });
  return (await h.store.load({ recover: false })).sort((a, b) =>
    a.sopInstanceUid.localeCompare(b.sopInstanceUid),
  );
}

describe('FileJobStore update journal', () => {
  it('records a change in the journal, not the job file, and a fresh store reads it back', async () => {
    const h = await makeHarness();
    const [job] = await admitted(h, 1);
    if (!job) throw new Error('no job admitted');
    const jobFile = join(h.folder, 'outbox', 'jobs', `${job.id}.json`);
    const asAdmitted = await readFile(jobFile, 'utf8');

    await h.store.save(withDelivery(job, { state: 'sent', attempts: 1 }));

    expect(await readFile(jobFile, 'utf8')).toBe(asAdmitted);
    const reread = await new FileJobStore(join(h.folder, 'outbox')).load({ recover: false });
    expect(reread.map((j) => j.deliveries.pacs?.state)).toEqual(['sent']);
  });

  it('writes changes that arrive together in one flush, the newest per job winning', async () => {
    const h = await makeHarness();
    const jobs = await admitted(h, 5);
    const saves: Promise<void>[] = [];
    for (let attempt = 1; attempt <= 10; attempt++)
      for (const job of jobs)
        saves.push(
          h.store.save(withDelivery(job, { state: 'waiting-to-retry', attempts: attempt })),
        );
    await Promise.all(saves);

    const lines = (await readFile(journalOf(h), 'utf8')).split('\n');
    expect(lines.filter((l) => l !== '')).toHaveLength(50);
    // Every flush starts with an empty line: the first save's flush, then one for the rest.
    expect(lines.filter((l) => l === '').length - 1).toBeLessThanOrEqual(3);
    const reread = await new FileJobStore(join(h.folder, 'outbox')).load({ recover: false });
    expect(reread.map((j) => j.deliveries.pacs?.attempts)).toEqual([10, 10, 10, 10, 10]);
  });

  it('skips a torn last line, and a later change is not swallowed by it', async () => {
    const h = await makeHarness();
    const [first, second] = await admitted(h, 2);
    if (!first || !second) throw new Error('jobs not admitted');
    await h.store.save(withDelivery(first, { state: 'sent', attempts: 1 }));
    // What a power cut during an append can leave: part of a line, no newline.
    await appendFile(journalOf(h), '{"version":1,"id":"' + second.id + '","deliv');
    await h.store.save(withDelivery(second, { state: 'needs-attention', attempts: 5 }));

    const reread = await new FileJobStore(join(h.folder, 'outbox')).load({ recover: false });
    const states = new Map(reread.map((j) => [j.sopInstanceUid, j.deliveries.pacs?.state]));
    expect(states.get(testUid(1))).toBe('sent');
    expect(states.get(testUid(2))).toBe('needs-attention');
  });

  it('keeps, when the spool is recovered, only the newest line of each job still spooled', async () => {
    const h = await makeHarness();
    const [kept, removed] = await admitted(h, 2);
    if (!kept || !removed) throw new Error('jobs not admitted');
    await h.store.save(withDelivery(kept, { state: 'waiting-to-retry', attempts: 1 }));
    await h.store.save(withDelivery(kept, { state: 'sent', attempts: 2 }));
    await h.store.save(withDelivery(removed, { state: 'sent', attempts: 1 }));
    await h.store.remove(removed.id);

    const recovered = await new FileJobStore(join(h.folder, 'outbox')).load({ recover: true });

    expect(recovered.map((j) => [j.id, j.deliveries.pacs?.state])).toEqual([[kept.id, 'sent']]);
    const lines = (await readFile(journalOf(h), 'utf8')).split('\n').filter((l) => l !== '');
    expect(lines.map((l) => (JSON.parse(l) as JobRecord).id)).toEqual([kept.id]);
  });

  it('keeps, when compacting, the line another process wrote for a job this one never changed', async () => {
    const h = await makeHarness();
    const [job] = await admitted(h, 1);
    if (!job) throw new Error('no job admitted');
    const otherProcess = new FileJobStore(join(h.folder, 'outbox'));
    await otherProcess.save(withDelivery(job, { paused: true }));

    await h.store.compact([job]);

    const reread = await new FileJobStore(join(h.folder, 'outbox')).load({ recover: false });
    expect(reread.map((j) => j.deliveries.pacs?.paused)).toEqual([true]);
  });

  it('is removed when the sending outbox stops with no job left that needs it', async () => {
    const h = await makeHarness();
    const outbox = await h.open();
    await outbox.enqueue(await h.makeInstance(1), { mode: 'move' });
    outbox.start();
    await outbox.whenSettled(); // sent (a journal line), then removed: retention is 0 days here
    await until(() => outbox.snapshot().items.length === 0, 'finished job removed');
    expect(existsSync(journalOf(h))).toBe(true);

    await outbox.stop();

    expect(existsSync(journalOf(h))).toBe(false);
  });
});
