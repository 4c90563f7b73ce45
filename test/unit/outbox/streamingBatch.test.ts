/**
 * A running batch takes what became ready meanwhile (SendContext.more, Dispatcher.moreFor), so a
 * sender keeps its associations busy through an import instead of ending a batch per group; an
 * item the sender does not accept, or hands back not attempted, waits for the next batch.
 */
import { describe, expect, it } from 'vitest';
import type { Sender, SendContext, SendItem } from '../../../main/core/outbox/senderTypes';
import { makeHarness, until, type Harness } from './harness';
import { testUid } from './instanceFixture';

/** Sends what it is given, runs `meanwhile` once after its first items, then asks for more. */
class StreamingSender implements Sender {
  readonly maxBatch = 8;
  readonly batches: string[][] = [];
  meanwhile: () => Promise<void> = () => Promise.resolve();
  accept: ((item: SendItem) => boolean) | undefined;

  async send(items: readonly SendItem[], context: SendContext): Promise<void> {
    const batch: string[] = [];
    this.batches.push(batch);
    for (let next = items; next.length > 0;) {
      for (const item of next) {
        batch.push(item.sopInstanceUid);
        context.report(item, { kind: 'stored', message: 'stored' });
      }
      const once = this.meanwhile;
      this.meanwhile = () => Promise.resolve();
      await once();
      next = (await context.more?.(8, this.accept)) ?? [];
    }
  }
}

async function streamingHarness(): Promise<{ h: Harness; sender: StreamingSender }> {
  const h = await makeHarness();
  const sender = new StreamingSender();
  return { h, sender };
}

describe('a batch that takes more', () => {
  it('sends items enqueued while it runs in the same batch', async () => {
    const { h, sender } = await streamingHarness();
    const outbox = await h.open({
      destinations: [{ name: 'pacs', sender, commitRequested: false, demo: false }],
    });
    outbox.start();
    sender.meanwhile = async () => {
      for (const n of [2, 3, 4]) await outbox.enqueue(await h.makeInstance(n));
    };
    await outbox.enqueue(await h.makeInstance(1));
    await until(
      () => outbox.snapshot().unsent === 0 && sender.batches.flat().length === 4,
      'all sent',
    );

    expect(sender.batches).toEqual([[1, 2, 3, 4].map((n) => testUid(n))]);
    await outbox.stop();
  });

  it('leaves what the sender does not accept for the next batch', async () => {
    const { h, sender } = await streamingHarness();
    const outbox = await h.open({
      destinations: [{ name: 'pacs', sender, commitRequested: false, demo: false }],
    });
    sender.accept = (item) => item.sopInstanceUid !== testUid(3);
    outbox.start();
    sender.meanwhile = async () => {
      for (const n of [2, 3]) await outbox.enqueue(await h.makeInstance(n));
    };
    await outbox.enqueue(await h.makeInstance(1));
    await until(() => sender.batches.flat().length === 3, 'all sent');

    expect(sender.batches).toEqual([[testUid(1), testUid(2)], [testUid(3)]]);
    await outbox.stop();
  });
});
