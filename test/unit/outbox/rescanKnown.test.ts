/**
 * The sending process rescans the spool every 2 s for jobs other processes add. It reads only
 * job files it does not hold yet: re-reading all of them made each rescan cost O(jobs) — 2,000
 * file reads and parses per rescan by the end of a 2,000-instance import (bench/import).
 */
import { describe, expect, it, vi } from 'vitest';
import { makeHarness, until } from './harness';

describe('Outbox rescan', () => {
  it('reads only the job files the sender does not hold yet', async () => {
    const h = await makeHarness();
    const sending = await h.open({ rescanMs: 2_000 });
    sending.start();
    const mine = await sending.enqueue(await h.makeInstance(1));
    const other = await h.openOther();
    const theirs = await other.enqueue(await h.makeInstance(2));
    const load = vi.spyOn(h.store, 'load');
    h.timers.advance(2_000);
    await until(() => (h.senders.get('pacs')?.sent.length ?? 0) === 2, 'both sent');
    const rescan = load.mock.calls[0]?.[0];
    expect(rescan?.recover).toBe(false);
    expect(rescan?.known?.(mine.jobId)).toBe(true);
    const read = (await load.mock.results[0]?.value) as { id: string }[];
    expect(read.map((j) => j.id)).toEqual([theirs.jobId]);
    await sending.stop();
  });
});
