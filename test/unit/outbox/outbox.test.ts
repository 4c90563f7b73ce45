import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPart10Info } from '../../../main/core/dimse/part10';
import { OutboxFullError, UnknownDestinationError } from '../../../main/core/outbox/errors';
import type { JobRecord } from '../../../main/core/outbox/jobTypes';
import { advanceUntil, makeHarness, until } from './harness';
import { testUid } from './instanceFixture';

const stateOf = (
  outbox: { snapshot(): { items: readonly { deliveries: Record<string, { state: string }> }[] } },
  i = 0,
  dest = 'pacs',
) => outbox.snapshot().items[i]?.deliveries[dest]?.state;

describe('Outbox enqueue', () => {
  it('resolves only once the instance and its job are on disk, and keeps the source with copy', async () => {
    const h = await makeHarness();
    const outbox = await h.open();
    const source = await h.makeInstance(1);
    const receipt = await outbox.enqueue(source);
    expect(receipt.sopInstanceUid).toBe(testUid(1));
    expect(receipt.destinations).toEqual(['pacs']);
    const jobFile = join(h.store.folder, 'jobs', `${receipt.jobId}.json`);
    const job = JSON.parse(await readFile(jobFile, 'utf8')) as JobRecord;
    expect(job.deliveries.pacs?.state).toBe('queued');
    expect(await readFile(h.store.instancePath(receipt.jobId))).toEqual(await readFile(source));
    expect(existsSync(source)).toBe(true);
  });

  it('takes the Part-10 info its writer gives for that file instead of reading it again', async () => {
    const h = await makeHarness();
    const outbox = await h.open();
    const source = await h.makeInstance(5);
    const info = await readPart10Info(source);
    // Only a writer of the file gives its info; a different UID shows it was not read again.
    const given = { ...info, sopInstanceUid: testUid(6) };
    expect((await outbox.enqueue(source, { part10: given })).sopInstanceUid).toBe(testUid(6));
    const other = await h.makeInstance(7);
    const receipt = await outbox.enqueue(other, { part10: given }); // another file's: ignored
    expect(receipt.sopInstanceUid).toBe(testUid(7));
  });

  it('takes the file away with mode move', async () => {
    const h = await makeHarness();
    const outbox = await h.open();
    const source = await h.makeInstance(2);
    const { jobId } = await outbox.enqueue(source, { mode: 'move' });
    expect(existsSync(source)).toBe(false);
    expect(existsSync(h.store.instancePath(jobId))).toBe(true);
  });

  it('refuses a file that is not Part-10, an unknown destination, and a full disk, saving nothing', async () => {
    const h = await makeHarness();
    const outbox = await h.open();
    await expect(outbox.enqueue(join(h.folder, 'nothing.dcm'))).rejects.toThrow();
    await expect(
      outbox.enqueue(await h.makeInstance(3), { destinations: ['vna'] }),
    ).rejects.toThrow(UnknownDestinationError);
    const full = await h.open({ minFreeBytes: Number.MAX_SAFE_INTEGER });
    const refusal = full.enqueue(await h.makeInstance(4));
    await expect(refusal).rejects.toThrow(OutboxFullError);
    await expect(refusal).rejects.toThrow(/not enough free disk space.*Nothing was saved/);
    expect(await readdir(join(h.store.folder, 'jobs'))).toEqual([]);
  });
});

/** Three instances enqueued to a peer that refuses connections, once the outbox says so. */
async function outboxWithPeerDown() {
  const h = await makeHarness();
  const sender = h.senders.get('pacs');
  if (!sender) throw new Error('no sender');
  sender.answer = () => ({ kind: 'retry', message: 'connection refused' });
  const outbox = await h.open({ retentionDays: 1 });
  outbox.start();
  for (const n of [1, 2, 3]) await outbox.enqueue(await h.makeInstance(n));
  await until(() => outbox.snapshot().text.includes('unreachable'), 'peer failing');
  return { h, sender, outbox };
}

describe('Outbox sending', () => {
  it('sends, marks sent, and removes the spooled copy once retention (0 days) has passed', async () => {
    const h = await makeHarness();
    const outbox = await h.open();
    outbox.start();
    const { jobId } = await outbox.enqueue(await h.makeInstance(1));
    expect(outbox.holds(testUid(1))).toBe(true);
    expect(outbox.holds(testUid(2))).toBe(false);
    await outbox.whenSettled();
    await until(() => outbox.snapshot().items.length === 0, 'finished job removed');
    expect(outbox.holds(testUid(1))).toBe(false);
    expect(h.senders.get('pacs')?.sent.map((i) => i.sopInstanceUid)).toEqual([testUid(1)]);
    expect(existsSync(h.store.instancePath(jobId))).toBe(false);
    await outbox.stop();
  });

  it('hands the sender what admission read of the file, so it need not read it again', async () => {
    const h = await makeHarness();
    const outbox = await h.open();
    outbox.start();
    const source = await h.makeInstance(1);
    const info = await readPart10Info(source);
    await outbox.enqueue(source);
    await outbox.whenSettled();
    expect(h.senders.get('pacs')?.sent[0]).toMatchObject({
      transferSyntaxUid: info.transferSyntaxUid,
      dataSetOffset: info.dataSetOffset,
      bytes: info.fileSize,
    });
    await outbox.stop();
  });

  it('keeps a finished job for the retention period, then removes it', async () => {
    const h = await makeHarness();
    const outbox = await h.open({ retentionDays: 2 });
    outbox.start();
    const { jobId } = await outbox.enqueue(await h.makeInstance(1));
    await until(() => stateOf(outbox) === 'sent', 'sent');
    await outbox.whenSettled();
    h.timers.advance(86_400_000);
    await outbox.rescan();
    expect(existsSync(h.store.instancePath(jobId))).toBe(true);
    h.timers.advance(86_400_000);
    await outbox.rescan();
    await until(() => !existsSync(h.store.instancePath(jobId)), 'removed after 2 days');
    await outbox.stop();
  });

  it('backs off after a transient failure, says since when, and delivers when the peer is back', async () => {
    const { h, sender, outbox } = await outboxWithPeerDown();
    await until(
      () => !outbox.snapshot().items.some((i) => i.deliveries.pacs?.state === 'sending'),
      'batch over',
    );
    const snapshot = outbox.snapshot();
    expect(snapshot.text).toBe('3 waiting — pacs unreachable since 10:42');
    expect(snapshot.destinations[0]?.lastProblem).toBe('connection refused');
    const tries = sender.sent.length;
    h.timers.advance(100);
    expect(sender.sent.length).toBe(tries); // not before the back-off delay
    sender.answer = () => ({ kind: 'stored', message: 'stored' });
    await advanceUntil(
      h.timers,
      1_000,
      () => outbox.snapshot().destinations[0]?.counts.sent === 3,
      'all sent',
    );
    expect(outbox.snapshot().text).toBe('all sent');
    await outbox.stop();
  });

  it('keeps saying the archive is unreachable while a retry is in flight, until one is stored', async () => {
    const { h, sender, outbox } = await outboxWithPeerDown();
    // The retry hangs (a connect that has not failed yet): every item is "sending" meanwhile.
    let answer: () => void = () => undefined;
    const scripted = sender.send.bind(sender);
    sender.send = (items, context) =>
      new Promise<void>((resolve) => (answer = resolve)).then(() => scripted(items, context));
    await advanceUntil(
      h.timers,
      1_000,
      () => outbox.snapshot().destinations[0]?.counts.sending === 3,
      'retry in flight',
    );
    expect(outbox.snapshot().text).toBe('3 waiting — pacs unreachable since 10:42');
    sender.answer = () => ({ kind: 'stored', message: 'stored' });
    answer();
    await outbox.whenSettled();
    expect(outbox.snapshot().text).toBe('all sent');
    await outbox.stop();
  });

  it('puts a refused instance in needs-attention with the peer status and text, and keeps it', async () => {
    const h = await makeHarness();
    const sender = h.senders.get('pacs');
    if (!sender) throw new Error('no sender');
    sender.answer = () => ({
      kind: 'refused',
      message: 'error: data set does not match the SOP class (status 0xa900)',
      status: 0xa900,
    });
    const outbox = await h.open();
    outbox.start();
    const { jobId } = await outbox.enqueue(await h.makeInstance(1));
    await outbox.whenSettled();
    const item = outbox.snapshot().items[0];
    expect(item?.deliveries.pacs).toMatchObject({
      state: 'needs-attention',
      status: 0xa900,
      problem: expect.stringMatching(/does not match the SOP class/) as unknown,
    });
    expect(outbox.snapshot().text).toBe('1 need attention');
    expect(existsSync(h.store.instancePath(jobId))).toBe(true);
    sender.answer = () => ({ kind: 'stored', message: 'stored' });
    await outbox.retryNow({ destination: 'pacs', jobId });
    await outbox.whenSettled();
    await until(() => outbox.snapshot().items.length === 0, 'sent after retry-now');
    await outbox.stop();
  });

  it('goes to needs-attention after the last allowed attempt, never deleting', async () => {
    const h = await makeHarness();
    const sender = h.senders.get('pacs');
    if (!sender) throw new Error('no sender');
    sender.answer = () => ({ kind: 'retry', message: 'timeout' });
    const outbox = await h.open();
    outbox.start();
    await outbox.enqueue(await h.makeInstance(1));
    await advanceUntil(h.timers, 10_000, () => stateOf(outbox) === 'needs-attention', 'given up');
    expect(outbox.snapshot().items[0]?.deliveries.pacs?.problem).toBe(
      'gave up after 5 attempts: timeout',
    );
    await outbox.stop();
  });
});

describe('Outbox controls', () => {
  it('pauses and resumes a destination (remembered across restarts) and an item', async () => {
    const h = await makeHarness();
    const outbox = await h.open();
    await outbox.pause({ destination: 'pacs' });
    outbox.start();
    const first = await outbox.enqueue(await h.makeInstance(1));
    await outbox.whenSettled();
    expect(h.senders.get('pacs')?.sent).toEqual([]);
    expect(outbox.snapshot().text).toBe('1 waiting — pacs paused');
    await outbox.stop();

    const reopened = await h.open();
    expect(reopened.snapshot().destinations[0]?.paused).toBe(true);
    await reopened.pause({ destination: 'pacs', jobId: first.jobId });
    await reopened.resume({ destination: 'pacs' });
    reopened.start();
    await reopened.enqueue(await h.makeInstance(2));
    await reopened.whenSettled();
    expect(h.senders.get('pacs')?.sent.map((i) => i.sopInstanceUid)).toEqual([testUid(2)]);
    await reopened.resume({ destination: 'pacs', jobId: first.jobId });
    await reopened.whenSettled();
    await until(() => reopened.snapshot().items.length === 0, 'resumed item sent');
    await reopened.stop();
  });

  it('cancels only with a confirmation, and a cancelled item is never sent', async () => {
    const h = await makeHarness();
    const outbox = await h.open();
    const { jobId } = await outbox.enqueue(await h.makeInstance(1));
    await expect(
      outbox.cancel({ destination: 'pacs', jobId }, { confirmed: false } as unknown as {
        confirmed: true;
      }),
    ).rejects.toThrow(/confirmation/);
    await outbox.cancel({ destination: 'pacs', jobId }, { confirmed: true });
    outbox.start();
    await outbox.whenSettled();
    expect(h.senders.get('pacs')?.sent).toEqual([]);
    await outbox.stop();
  });

  it('announces changes to subscribers until they unsubscribe', async () => {
    const h = await makeHarness();
    const outbox = await h.open({ retentionDays: 1 });
    const events: string[] = [];
    const unsubscribe = outbox.subscribe((e) =>
      events.push('state' in e ? `${e.type}:${e.state}` : e.type),
    );
    outbox.start();
    await outbox.enqueue(await h.makeInstance(1));
    await until(() => events.includes('delivery-changed:sent'), 'sent event');
    expect(events).toEqual(['job-added', 'delivery-changed:sending', 'delivery-changed:sent']);
    unsubscribe();
    await outbox.enqueue(await h.makeInstance(2));
    await outbox.whenSettled();
    expect(events).toHaveLength(3);
    await outbox.stop();
  });
});

describe('Outbox progress', () => {
  it('shows bytes sent and a partial progress while an item is in flight', async () => {
    const h = await makeHarness();
    const sender = h.senders.get('pacs');
    if (!sender) throw new Error('no sender');
    let release: () => void = () => undefined;
    sender.send = (items, context) =>
      new Promise<void>((resolve) => {
        const item = items[0];
        if (item) context.progress?.(item, Math.floor(item.bytes / 2));
        release = () => {
          if (item) context.report(item, { kind: 'stored', message: 'stored' });
          resolve();
        };
      });
    const outbox = await h.open({ retentionDays: 1 });
    const events: string[] = [];
    outbox.subscribe((e) => events.push(e.type));
    outbox.start();
    const { jobId } = await outbox.enqueue(await h.makeInstance(1));
    const item = outbox.snapshot().items.find((i) => i.jobId === jobId);
    expect(item?.deliveries.pacs?.bytesSent).toBe(Math.floor((item?.bytes ?? 0) / 2));
    expect(item?.progress).toBeCloseTo(0.5, 2);
    expect(events).toContain('delivery-progress');
    release();
    await until(() => outbox.snapshot().items[0]?.progress === 1, 'done');
    expect(outbox.snapshot().items[0]?.deliveries.pacs?.bytesSent).toBeUndefined();
    await outbox.stop();
  });
});
