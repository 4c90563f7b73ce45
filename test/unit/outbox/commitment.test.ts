import { describe, expect, it } from 'vitest';
import { dimseSender, type CommitResult } from '../../../main/core/outbox/senders/dimseSender';
import { makeHarness, until } from './harness';
import { testUid } from './instanceFixture';
import { storesAll } from './storesAll';

const peer = {
  host: '127.0.0.1',
  port: 104,
  calledAeTitle: 'PACS',
  callingAeTitle: 'CAPTURE1',
  commit: true,
};

async function outboxWithCommitter(answer: (uid: string) => CommitResult) {
  const h = await makeHarness();
  const asked: string[][] = [];
  const sender = dimseSender({
    peer,
    send: storesAll,
    committer: (_peer, instances) => {
      asked.push(instances.map((i) => i.sopInstanceUid));
      return Promise.resolve(instances.map((i) => answer(i.sopInstanceUid)));
    },
  });
  const outbox = await h.open({
    destinations: [{ name: 'pacs', sender, commitRequested: true, demo: false }],
    retentionDays: 1,
  });
  return { h, outbox, asked };
}

describe('storage commitment step (PS3.4 J)', () => {
  it('holds items at sent until the archive commits them, then finishes them', async () => {
    const { h, outbox, asked } = await outboxWithCommitter((uid) => ({
      sopInstanceUid: uid,
      committed: true,
    }));
    outbox.start();
    await outbox.enqueue(await h.makeInstance(1));
    await outbox.enqueue(await h.makeInstance(2));
    await outbox.whenSettled();
    await until(() => outbox.snapshot().destinations[0]?.counts.committed === 2, 'committed');
    expect(asked.flat().sort()).toEqual([testUid(1), testUid(2)]);
    expect(outbox.snapshot().unsent).toBe(0);
    await outbox.stop();
  });

  it('puts a refused commitment in needs-attention with the reason in words', async () => {
    const { h, outbox } = await outboxWithCommitter((uid) => ({
      sopInstanceUid: uid,
      committed: false,
      failureReason: 0x0112,
      message: 'the archive has no such instance (send it again)',
    }));
    outbox.start();
    await outbox.enqueue(await h.makeInstance(1));
    await outbox.whenSettled();
    expect(outbox.snapshot().items[0]?.deliveries.pacs).toMatchObject({
      state: 'needs-attention',
      status: 0x0112,
      problem:
        'storage commitment failed: the archive has no such instance (send it again) (status 0x0112)',
    });
    await outbox.stop();
  });

  it('keeps an item at sent and asks again later after a transient commitment failure', async () => {
    let reason: number | undefined = 0x0213;
    const { h, outbox, asked } = await outboxWithCommitter((uid) =>
      reason === undefined
        ? { sopInstanceUid: uid, committed: true }
        : {
            sopInstanceUid: uid,
            committed: false,
            failureReason: reason,
            message: 'resource limitation at the archive',
          },
    );
    outbox.start();
    await outbox.enqueue(await h.makeInstance(1));
    await until(() => asked.length === 1, 'asked once');
    await until(
      () => outbox.snapshot().text === '1 awaiting storage commitment',
      'waiting for commitment',
    );
    reason = undefined;
    h.timers.advance(60_000);
    await until(() => outbox.snapshot().destinations[0]?.counts.committed === 1, 'committed later');
    expect(asked).toHaveLength(2);
    await outbox.stop();
  });
});
