/**
 * A person cancels an item while it is on its way: the send under way decides. Stored, it is sent
 * (it cannot be unsent, and the outbox must not claim otherwise); failed or never tried, it is
 * cancelled and never tried again — it used to be ignored, and a failed send was retried.
 */
import { describe, expect, it } from 'vitest';
import type { SendContext, SendItem, SendOutcome } from '../../../main/core/outbox/senderTypes';
import type { Outbox } from '../../../main/core/outbox/Outbox';
import { makeHarness, settle, until, type Harness } from './harness';

/** Holds each batch until released with the outcome for its items. */
function gateSender(h: Harness) {
  const sender = h.senders.get('pacs');
  if (!sender) throw new Error('no sender');
  const gate = { batches: 0, release: (_outcome: SendOutcome) => {} };
  sender.send = (items: readonly SendItem[], context: SendContext) => {
    gate.batches += 1;
    return new Promise<void>((resolve) => {
      gate.release = (outcome) => {
        for (const item of items) context.report(item, outcome);
        resolve();
      };
    });
  };
  return gate;
}

const deliveryOf = (outbox: Outbox) => outbox.snapshot().items[0]?.deliveries.pacs;

async function cancelWhileSending(h: Harness) {
  const gate = gateSender(h);
  const outbox = await h.open();
  const { jobId } = await outbox.enqueue(await h.makeInstance(1));
  outbox.start();
  await until(() => gate.batches === 1, 'the batch starts');
  await outbox.cancel({ destination: 'pacs', jobId }, { confirmed: true });
  expect(deliveryOf(outbox)).toMatchObject({
    state: 'sending',
    problem: expect.stringMatching(/cancel requested/) as unknown,
  });
  return { outbox, gate };
}

describe('cancel while an item is being sent', () => {
  it('a send that fails leaves it cancelled, never tried again', async () => {
    const h = await makeHarness();
    const { outbox, gate } = await cancelWhileSending(h);
    gate.release({ kind: 'retry', message: 'connection reset' });
    await until(() => deliveryOf(outbox)?.state === 'cancelled', 'cancelled after the failure');
    h.timers.advance(600_000);
    await settle(50);
    expect(gate.batches).toBe(1);
    await outbox.stop();
    // Finished, it may be purged at once (the harness keeps nothing); it is not sent again.
    const reopened = await h.open();
    expect(deliveryOf(reopened)?.state ?? 'purged').toMatch(/cancelled|purged/);
    reopened.start();
    await settle(50);
    expect(gate.batches).toBe(1);
    await reopened.stop();
  });

  it('a send that stores it makes it sent: the archive has it', async () => {
    const h = await makeHarness();
    const { outbox, gate } = await cancelWhileSending(h);
    gate.release({ kind: 'stored', message: 'stored' });
    await until(() => deliveryOf(outbox)?.state === 'sent', 'sent');
    expect(deliveryOf(outbox)?.problem).toBeUndefined();
    await outbox.stop();
  });

  it('a station stopped mid-send after the cancel reopens it cancelled, saying the archive may have it', async () => {
    const h = await makeHarness();
    const { gate } = await cancelWhileSending(h);
    // No stop(): the process died with the send in flight and the cancel on disk.
    gate.release = () => {};
    const reopened = await h.open();
    expect(deliveryOf(reopened)).toMatchObject({
      state: 'cancelled',
      problem: expect.stringMatching(/may have it/) as unknown,
    });
    reopened.start();
    await settle(50);
    expect(gate.batches).toBe(1);
    await reopened.stop();
  });
});
