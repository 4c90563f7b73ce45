import { describe, expect, it } from 'vitest';
import type { SendContext, SendItem } from '../../../main/core/outbox/senderTypes';
import { makeHarness, settle, until } from './harness';

describe('A batch that tries nothing', () => {
  it('backs the destination off instead of handing the same items to the next batch at once', async () => {
    const h = await makeHarness();
    const sender = h.senders.get('pacs');
    if (!sender) throw new Error('no sender');
    let batches = 0;
    // A sender that ends every batch without reporting any item (a defect in a sender, or every
    // item handed back): each item is queued again with no attempt counted.
    // It yields to the event loop first, so a loop of such batches shows as a count, not a hang.
    sender.send = async (_items: readonly SendItem[], _context: SendContext) => {
      batches += 1;
      await new Promise((resolve) => setImmediate(resolve));
    };
    const outbox = await h.open();
    await outbox.enqueue(await h.makeInstance(1));
    outbox.start();
    await until(() => batches >= 1, 'a first batch');
    await settle(200);
    expect(batches).toBe(1);
    const destination = outbox.snapshot().destinations[0];
    expect(destination?.lastProblem).toMatch(/ended a batch without trying any item/);
    expect(destination?.retryAt).toBeDefined();
    expect(outbox.snapshot().items[0]?.deliveries.pacs?.state).toBe('queued');

    // After the back-off it is tried again, once.
    h.timers.advance(1_000);
    await until(() => batches >= 2, 'a second batch after the back-off');
    await settle(200);
    expect(batches).toBe(2);
    await outbox.stop();
  });
});
