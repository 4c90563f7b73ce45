/**
 * Storage commitment (PS3.4 J) beside sending: an archive that is slow to report, or never does,
 * holds back neither new captures nor itself for ever.
 */
import { describe, expect, it } from 'vitest';
import { COMMIT_PATIENCE_MS } from '../../../main/core/outbox/retryPolicy';
import type { CommitOutcome, Sender, SendItem } from '../../../main/core/outbox/senderTypes';
import { advanceUntil, makeHarness, ScriptedSender, until, type Harness } from './harness';

/** dimseCommitter's default wait for the N-EVENT-REPORT. */
const REPORT_WAIT_MS = 60_000;

type Commit = (items: readonly SendItem[]) => Promise<Map<string, CommitOutcome>>;

async function openWithCommit(h: Harness, commit: Commit) {
  const scripted = new ScriptedSender();
  const sender: Sender = { maxBatch: 8, send: scripted.send.bind(scripted), commit };
  const outbox = await h.open({
    destinations: [{ name: 'pacs', sender, commitRequested: true, demo: false }],
  });
  return { outbox, sent: scripted.sent };
}

/** A commitment request whose report never comes: the whole wait passes, then "no answer". */
function unanswered(h: Harness, asks: number[]): Commit {
  return async (items) => {
    asks.push(h.timers.now);
    await Promise.resolve();
    h.timers.now += REPORT_WAIT_MS;
    const outcome: CommitOutcome = { kind: 'retry', message: 'no report in time' };
    return new Map(items.map((item) => [item.sopInstanceUid, outcome]));
  };
}

/** One capture sent to an archive that never reports; `asks`: when commitment was requested. */
async function sendOneToSilentArchive() {
  const h = await makeHarness();
  const asks: number[] = [];
  const { outbox } = await openWithCommit(h, unanswered(h, asks));
  const sentAt = h.timers.now;
  outbox.start();
  await outbox.enqueue(await h.makeInstance(1));
  return { h, outbox, asks, sentAt };
}

describe('storage commitment beside sending (PS3.4 J)', () => {
  it('sends new captures while a commitment request waits for its report', async () => {
    const h = await makeHarness();
    let answer: (outcomes: Map<string, CommitOutcome>) => void = () => undefined;
    const { outbox, sent } = await openWithCommit(
      h,
      () => new Promise((resolve) => (answer = resolve)),
    );
    outbox.start();
    await outbox.enqueue(await h.makeInstance(1));
    await until(() => sent.length === 1, 'first capture sent');
    await outbox.enqueue(await h.makeInstance(2));
    await outbox.enqueue(await h.makeInstance(3));
    await until(() => sent.length === 3, 'later captures sent while commitment waits');
    answer(new Map());
    await outbox.stop();
  });

  it('asks again from the end of the wait, each interval as long as waited so far', async () => {
    const { h, outbox, asks, sentAt } = await sendOneToSilentArchive();
    await advanceUntil(h.timers, 10_000, () => asks.length >= 4, 'four requests');
    // Waits end at 60, 180, 420 s after sending; the next request as long after as that.
    expect(asks.map((at) => (at - sentAt) / 1000)).toEqual([0, 120, 360, 840]);
    await outbox.stop();
  });

  it('gives up after COMMIT_PATIENCE_MS: the delivered item needs attention', async () => {
    const { h, outbox, asks, sentAt } = await sendOneToSilentArchive();
    const delivery = () => outbox.snapshot().items[0]?.deliveries.pacs;
    await advanceUntil(
      h.timers,
      600_000,
      () => delivery()?.state === 'needs-attention',
      'given up',
    );
    expect(delivery()?.problem).toContain('the archive has not confirmed storage commitment');
    // Asked until the patience ran out (the last wait ended past it), an hour apart at most.
    const sinceSent = asks.map((at) => at - sentAt);
    expect(sinceSent.at(-1)).toBeGreaterThanOrEqual(COMMIT_PATIENCE_MS - REPORT_WAIT_MS);
    expect(asks.length).toBeLessThan(40);
    const asked = asks.length;
    h.timers.advance(COMMIT_PATIENCE_MS);
    await outbox.whenSettled();
    expect(asks).toHaveLength(asked);
    await outbox.stop();
  });
});
