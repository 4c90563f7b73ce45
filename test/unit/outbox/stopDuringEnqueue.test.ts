/**
 * Outbox.stop() while enqueues are in flight: it refuses new ones at once, waits for those
 * already accepted to settle, and only then compacts the journal and releases the spool lock. An
 * enqueue reported saved is therefore a job after a restart, never an orphan file in the spool.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FileJobStore } from '../../../main/core/outbox/JobStore';
import { OutboxStoppingError, type EnqueueReceipt } from '../../../main/core/outbox/Outbox';
import { makeHarness, type Harness } from './harness';
import { testUid } from './instanceFixture';
import { renameHook, resetRenameHook } from './renameHook';

vi.mock('node:fs/promises', async (original) =>
  (await import('./renameHook')).withRenameHook(original),
);

afterEach(resetRenameHook);

const spoolOf = (h: Harness) => join(h.folder, 'outbox');

/** The jobs a restarted sending process finds (it recovers the spool). */
async function afterRestart(h: Harness): Promise<string[]> {
  const store = new FileJobStore(spoolOf(h), undefined, { admitToJournal: true });
  return (await store.load({ recover: true })).map((job) => job.sopInstanceUid);
}

describe('Outbox.stop() with enqueues in flight', () => {
  it('keeps a job whose admission line is written but whose instance is not yet placed', async () => {
    const h = await makeHarness(['pacs'], { admitToJournal: true });
    const outbox = await h.open();
    outbox.start();
    const source = await h.makeInstance(1);
    let stopping: Promise<void> | undefined;
    // The app quits just as the instance is renamed into the spool (admitBatch step 3): its
    // admission line is durable, its job not yet in the outbox's memory.
    renameHook.before = (_from, to) => {
      if (dirname(to) === join(spoolOf(h), 'files')) stopping ??= outbox.stop();
    };

    const receipt = await outbox.enqueue(source, { mode: 'move' });
    await stopping;

    expect(stopping).toBeDefined();
    expect(existsSync(source)).toBe(false);
    expect(await readdir(join(spoolOf(h), 'files'))).toEqual([`${receipt.jobId}.dcm`]);
    expect(await afterRestart(h)).toEqual([testUid(1)]);
  });

  it('refuses enqueues from the call of stop() on, leaving the file where it was', async () => {
    const h = await makeHarness(['pacs'], { admitToJournal: true });
    const pacs = h.senders.get('pacs');
    if (pacs) pacs.answer = () => ({ kind: 'retry', message: 'peer down' }); // job 1 stays
    const outbox = await h.open();
    outbox.start();
    await outbox.enqueue(await h.makeInstance(1), { mode: 'move' });
    const late = await h.makeInstance(2);

    const stopping = outbox.stop();
    const refused = outbox.enqueue(late, { mode: 'move' }).catch((error: unknown) => error);
    const refusedMany = outbox.enqueueMany([late], { mode: 'move' });
    await stopping;

    const error = await refused;
    expect(error).toBeInstanceOf(OutboxStoppingError);
    expect(String(error)).toContain('outbox is stopping');
    const [result] = await refusedMany;
    expect(result?.status === 'rejected' && result.reason).toBeInstanceOf(OutboxStoppingError);
    await expect(outbox.enqueue(late, { mode: 'move' })).rejects.toThrow(OutboxStoppingError);
    expect(existsSync(late)).toBe(true);
    const journal = await readFile(join(spoolOf(h), 'jobs', 'updates.jsonl'), 'utf8');
    expect(journal).not.toContain(testUid(2));
    expect(await afterRestart(h)).toEqual([testUid(1)]);
  });

  it('releases the spool lock only once an enqueue accepted before stop() has settled', async () => {
    const h = await makeHarness(['pacs'], { admitToJournal: true });
    let settled = false;
    let settledAtRelease: boolean | undefined;
    const outbox = await h.open({
      onStop: () => {
        settledAtRelease = settled;
        return Promise.resolve();
      },
    });
    outbox.start();
    const source = await h.makeInstance(1);

    // Still reading the file's meta group when stop() is called.
    const enqueued = outbox.enqueue(source, { mode: 'move' }).finally(() => (settled = true));
    await outbox.stop();

    expect(settledAtRelease).toBe(true);
    const receipt: EnqueueReceipt = await enqueued;
    expect(receipt.sopInstanceUid).toBe(testUid(1));
    expect(await afterRestart(h)).toEqual([testUid(1)]);
  });
});
