/**
 * Sender batching (Dispatcher.lingerUntil): items that trickle in wait up to batchLingerMs for
 * company instead of each opening its own batch (its own associations); a full batch goes at
 * once, and the wait counts from the first item found ready, so a steady trickle cannot hold a
 * batch back for longer than the linger. While an import has announced its kinds (expectKinds),
 * a batch starts with its first item: it takes the rest as they are admitted.
 */
import { describe, expect, it } from 'vitest';
import { makeHarness, settle, ScriptedSender } from './harness';
import { SECONDARY_CAPTURE } from './instanceFixture';

const LINGER_MS = 200;

/** Counts send() calls: one per batch. */
function countBatches(sender: ScriptedSender): number[] {
  const sizes: number[] = [];
  const send = sender.send.bind(sender);
  sender.send = (items, context) => {
    sizes.push(items.length);
    return send(items, context);
  };
  return sizes;
}

describe('Outbox sender batching', () => {
  it('lets a small batch wait for more items, up to the linger', async () => {
    const h = await makeHarness();
    const batches = countBatches(h.senders.get('pacs') as ScriptedSender);
    const outbox = await h.open({ batchLingerMs: LINGER_MS });
    outbox.start();
    await outbox.enqueue(await h.makeInstance(1));
    h.timers.advance(LINGER_MS - 50);
    await settle();
    expect(batches).toEqual([]);
    await outbox.enqueue(await h.makeInstance(2));
    await outbox.enqueue(await h.makeInstance(3));
    h.timers.advance(49);
    await settle();
    expect(batches).toEqual([]);
    h.timers.advance(1);
    await settle();
    expect(batches).toEqual([3]);
    await outbox.whenSettled();
  });

  it('sends a full batch at once', async () => {
    const h = await makeHarness();
    const sender = h.senders.get('pacs') as ScriptedSender;
    const batches = countBatches(sender);
    const outbox = await h.open({ batchLingerMs: LINGER_MS });
    const sources = await Promise.all(
      Array.from({ length: sender.maxBatch }, (_, i) => h.makeInstance(10 + i)),
    );
    await outbox.enqueueMany(sources);
    outbox.start();
    await settle();
    expect(batches).toEqual([sender.maxBatch]);
  });

  it('sends at once, as before, without a linger', async () => {
    const h = await makeHarness();
    const batches = countBatches(h.senders.get('pacs') as ScriptedSender);
    const outbox = await h.open();
    outbox.start();
    await outbox.enqueue(await h.makeInstance(30));
    await settle();
    expect(batches).toEqual([1]);
  });

  it('does not linger while kinds are announced for the destination, and does again once withdrawn', async () => {
    const h = await makeHarness();
    const batches = countBatches(h.senders.get('pacs') as ScriptedSender);
    const outbox = await h.open({ batchLingerMs: LINGER_MS });
    outbox.start();
    const kind = { sopClassUid: SECONDARY_CAPTURE, transferSyntaxUid: '1.2.840.10008.1.2.1' };
    const withdraw = outbox.expectKinds([kind], ['pacs']);
    await outbox.enqueue(await h.makeInstance(40));
    await settle();
    expect(batches).toEqual([1]);
    await outbox.whenSettled();
    withdraw();
    await outbox.enqueue(await h.makeInstance(41));
    await settle();
    expect(batches).toEqual([1]);
    h.timers.advance(LINGER_MS);
    await settle();
    expect(batches).toEqual([1, 1]);
    await outbox.whenSettled();
  });
});
