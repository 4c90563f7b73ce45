/**
 * UpdateJournal.compact racing this process's own writes: a line appended after compact() is
 * called is never replaced by the rewrite, and a journal compacted away (nothing kept) gets its
 * folder synced again when an append creates it anew.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { syncFolder } from '../../../main/core/fs/durableFiles';
import { newDelivery, type Delivery, type JobRecord } from '../../../main/core/outbox/jobTypes';
import { UpdateJournal } from '../../../main/core/outbox/UpdateJournal';
import { makeHarness } from './harness';
import { testUid } from './instanceFixture';

vi.mock('../../../main/core/fs/durableFiles', async (original) => {
  const actual = await original<typeof import('../../../main/core/fs/durableFiles')>();
  return { ...actual, syncFolder: vi.fn(actual.syncFolder) };
});

function jobRecord(n: number): JobRecord {
  return {
    version: 1,
    id: `test-job-${n}`,
    sopClassUid: '1.2.840.10008.5.1.4.1.1.7',
    sopInstanceUid: testUid(n),
    bytes: 100,
    transferSyntaxUid: '1.2.840.10008.1.2.1',
    dataSetOffset: 10,
    enqueuedAt: '2026-11-28T10:42:00.000Z',
    sourceName: `in-${n}.dcm`,
    deliveries: { pacs: newDelivery(false) },
  };
}

function withDelivery(job: JobRecord, change: Partial<Delivery>): JobRecord {
  const pacs = job.deliveries.pacs as Delivery;
  return { ...job, deliveries: { ...job.deliveries, pacs: { ...pacs, ...change } } };
}

async function newJournal(): Promise<UpdateJournal> {
  return new UpdateJournal(join(await mkdtemp(join(tmpdir(), 'journal-unit-')), 'updates.jsonl'));
}

describe('UpdateJournal compaction racing appends', () => {
  it('appends a line written while compact() runs to the new journal, not the replaced one', async () => {
    const journal = await newJournal();
    const writing = journal.append(jobRecord(1)); // still being written when compact() is called

    const compacting = journal.compact([jobRecord(1)]);
    const appending = journal.append(jobRecord(2));
    await Promise.all([writing, compacting, appending]);

    expect([...(await journal.read()).newest.keys()].sort()).toEqual(['test-job-1', 'test-job-2']);
  });

  it('lets a save made while the store compacts win over the state given to compact', async () => {
    const h = await makeHarness();
    const outbox = await h.open();
    await outbox.enqueue(await h.makeInstance(1), { mode: 'move' });
    const [job] = await h.store.load({ recover: false });
    if (!job) throw new Error('no job admitted');

    const compacting = h.store.compact([job]);
    const saving = h.store.save(withDelivery(job, { paused: true }));
    await Promise.all([compacting, saving]);

    const reread = await h.store.load({ recover: false });
    expect(reread.map((j) => j.deliveries.pacs?.paused)).toEqual([true]);
  });

  it('syncs the folder again when an append recreates a journal compacted away', async () => {
    const journal = await newJournal();
    await journal.append(jobRecord(1));
    await journal.compact([]);
    vi.mocked(syncFolder).mockClear();

    await journal.append(jobRecord(2));

    expect(vi.mocked(syncFolder).mock.calls).toEqual([[join(journal.path, '..')]]);
    expect(await readFile(journal.path, 'utf8')).toContain('test-job-2');
  });
});
