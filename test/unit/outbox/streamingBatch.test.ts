/**
 * A running batch takes what became ready meanwhile (SendContext.more, Dispatcher.moreFor), so a
 * sender keeps its associations busy through an import instead of ending a batch per group; an
 * item the sender does not accept, or hands back not attempted, waits for the next batch.
 */
import { describe, expect, it } from 'vitest';
import type { Sender, SendContext, SendItem } from '../../../main/core/outbox/senderTypes';
import { join } from 'node:path';
import type { sendFiles } from '../../../main/core/dimse/sendFiles';
import { dimseSender } from '../../../main/core/outbox/senders/dimseSender';
import { makeHarness, until, type Harness } from './harness';
import { SECONDARY_CAPTURE, testUid, writeInstance } from './instanceFixture';

const CT_IMAGE = '1.2.840.10008.5.1.4.1.1.2';

const peer = { host: '127.0.0.1', port: 104, calledAeTitle: 'PACS', callingAeTitle: 'CAPTURE1' };

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

  it('ends at once, without lingering, when all that is ready is what it does not accept', async () => {
    const { h, sender } = await streamingHarness();
    const outbox = await h.open({
      destinations: [{ name: 'pacs', sender, commitRequested: false, demo: false }],
      batchLingerMs: 200,
    });
    sender.accept = (item) => item.sopInstanceUid !== testUid(3);
    sender.meanwhile = async () => {
      for (const n of [2, 3]) await outbox.enqueue(await h.makeInstance(n));
    };
    await outbox.enqueue(await h.makeInstance(1));
    outbox.start();
    h.timers.advance(200); // the first batch's own linger, for company that never comes
    // From here the fake clock stands still: a batch waiting out its linger would never end.
    await until(() => sender.batches.flat().length === 3, 'all sent');

    expect(sender.batches).toEqual([[testUid(1), testUid(2)], [testUid(3)]]);
    await outbox.stop();
  });

  it('has a DIMSE batch propose every kind queued, so a later series of another class joins it', async () => {
    const h = await makeHarness();
    const proposed: string[][] = [];
    const sent: string[] = [];
    // sendFiles stand-in: records what it would propose, stores its files and all that `more`
    // hands out, as the real one does for negotiated kinds.
    const send: typeof sendFiles = async (sources, options) => {
      const kinds = [...sources, ...(options.alsoNegotiate ?? [])].map((k) =>
        typeof k === 'string' ? k : k.sopClassUid,
      );
      proposed.push([...new Set(kinds)].sort());
      for (let next = [...sources]; next.length > 0; next = [...((await options.more?.()) ?? [])])
        for (const source of next) {
          const path = typeof source === 'string' ? source : source.path;
          sent.push(path);
          options.onResult?.({ path, stored: true, outcome: 'success', status: 0, message: 'ok' });
        }
      return [];
    };
    const sender = dimseSender({ peer, send, maxBatch: 2 }); // the batch starts with class A only
    const outbox = await h.open({
      destinations: [{ name: 'pacs', sender, commitRequested: false, demo: false }],
    });
    await outbox.enqueue(await h.makeInstance(1));
    await outbox.enqueue(await h.makeInstance(2));
    const other = join(h.folder, 'ct.dcm');
    await writeInstance(other, { sopInstanceUid: testUid(3), sopClassUid: CT_IMAGE });
    await outbox.enqueue(other);
    outbox.start();
    await outbox.whenSettled();

    expect(proposed).toHaveLength(1);
    expect(proposed[0]).toEqual([SECONDARY_CAPTURE, CT_IMAGE].sort());
    expect(sent).toHaveLength(3);
    expect(outbox.snapshot().unsent).toBe(0);
    await outbox.stop();
  });

  it('has a DIMSE batch propose the kinds an import announced, until they are withdrawn', async () => {
    const h = await makeHarness();
    const proposed: string[][] = [];
    const sent: string[] = [];
    let meanwhile = async () => {};
    // sendFiles stand-in, as above; runs `meanwhile` once, after its first files.
    const send: typeof sendFiles = async (sources, options) => {
      const kinds = [...sources, ...(options.alsoNegotiate ?? [])].map((k) =>
        typeof k === 'string' ? k : k.sopClassUid,
      );
      proposed.push([...new Set(kinds)].sort());
      for (let next = [...sources]; next.length > 0;) {
        for (const source of next) {
          const path = typeof source === 'string' ? source : source.path;
          sent.push(path);
          options.onResult?.({ path, stored: true, outcome: 'success', status: 0, message: 'ok' });
        }
        const once = meanwhile;
        meanwhile = async () => {};
        await once();
        next = [...((await options.more?.()) ?? [])];
      }
      return [];
    };
    const sender = dimseSender({ peer, send });
    const outbox = await h.open({
      destinations: [{ name: 'pacs', sender, commitRequested: false, demo: false }],
    });
    const ct = { sopClassUid: CT_IMAGE, transferSyntaxUid: '1.2.840.10008.1.2.1' };
    const withdraw = outbox.expectKinds([ct], ['pacs']);
    // The CT image arrives while the first batch (secondary capture only) is sending: announced,
    // it goes on that batch's associations.
    meanwhile = async () => {
      const other = join(h.folder, 'ct.dcm');
      await writeInstance(other, { sopInstanceUid: testUid(3), sopClassUid: CT_IMAGE });
      await outbox.enqueue(other);
    };
    await outbox.enqueue(await h.makeInstance(1));
    outbox.start();
    await until(() => sent.length === 2, 'both sent');
    await outbox.whenSettled();
    withdraw();
    await outbox.enqueue(await h.makeInstance(2));
    await outbox.whenSettled();

    expect(proposed).toEqual([[SECONDARY_CAPTURE, CT_IMAGE].sort(), [SECONDARY_CAPTURE]]);
    expect(sent).toHaveLength(3);
    expect(outbox.snapshot().unsent).toBe(0);
    await outbox.stop();
  });
});
