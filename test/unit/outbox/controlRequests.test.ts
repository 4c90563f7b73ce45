/**
 * A person's control made in a process that does not send (the app while `queue run` sends) is
 * a durable request the sender applies (controlRequests.ts). It used to be a journal line the
 * sender never read and its compaction erased: an image cancelled in the app was sent anyway.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ControlRequests, controlRequest } from '../../../main/core/outbox/controlRequests';
import { UnknownDestinationError } from '../../../main/core/outbox/errors';
import type { Outbox } from '../../../main/core/outbox/Outbox';
import type { OutboxDeps } from '../../../main/core/outbox/runtimeTypes';
import { makeHarness, recordingLogger, until, type Harness } from './harness';

/** Small batches wait this long for company: items stay queued until the clock is advanced. */
const LINGER_MS = 60_000;
const RESCAN_MS = 2_000;

/** The sending process: the journal is its own, as createOutbox gives the lock holder. */
async function startSender(h: Harness, overrides: Partial<OutboxDeps> = {}): Promise<Outbox> {
  const sender = await h.open({
    store: h.newStore(),
    rescanMs: RESCAN_MS,
    batchLingerMs: LINGER_MS,
    retentionDays: 7,
    ...overrides,
  });
  sender.start();
  return sender;
}

/**
 * Fires the sender's rescan and waits until `check` holds and the requests are applied: their
 * files are removed after the change is durable (memory shows it a moment earlier).
 */
async function rescanUntil(h: Harness, check: () => boolean, what: string): Promise<void> {
  h.timers.advance(RESCAN_MS);
  await until(check, what);
  await untilNoRequests(h);
}

async function untilNoRequests(h: Harness): Promise<void> {
  for (let i = 0; i < 1_000; i++) {
    if ((await requestFiles(h)).length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('never happened: every request applied');
}

function sentIds(h: Harness): string[] {
  return (h.senders.get('pacs')?.sent ?? []).map((item) => item.jobId);
}

async function requestFiles(h: Harness): Promise<string[]> {
  const names = await readdir(join(h.store.folder, 'requests')).catch(() => []);
  return names.filter((name) => name.endsWith('.json'));
}

const stateOf = (outbox: Outbox, jobId: string) =>
  outbox.snapshot().items.find((i) => i.jobId === jobId)?.deliveries.pacs?.state;

describe('controls made in a process that does not send', () => {
  it('a follower cancels a queued item: the sender never sends it, and it stays cancelled', async () => {
    const h = await makeHarness(['pacs'], { admitToJournal: true });
    const sender = await startSender(h);
    const wrong = await sender.enqueue(await h.makeInstance(1));
    const right = await sender.enqueue(await h.makeInstance(2));
    const follower = await h.openOther();

    await follower.cancel({ destination: 'pacs', jobId: wrong.jobId }, { confirmed: true });
    const pending = follower.snapshot().items.find((i) => i.jobId === wrong.jobId);
    expect(pending).toMatchObject({
      controlPending: true,
      deliveries: { pacs: { state: 'queued' } },
    });
    expect(await requestFiles(h)).toHaveLength(1);

    await rescanUntil(h, () => stateOf(sender, wrong.jobId) === 'cancelled', 'cancel applied');
    expect(await requestFiles(h)).toEqual([]);
    h.timers.advance(LINGER_MS);
    await until(() => stateOf(sender, right.jobId) === 'sent', 'the other item sent');
    expect(sentIds(h)).toEqual([right.jobId]);

    await follower.rescan();
    const shown = follower.snapshot().items.find((i) => i.jobId === wrong.jobId);
    expect(shown?.deliveries.pacs?.state).toBe('cancelled');
    expect(shown?.controlPending).toBeUndefined();

    await sender.stop(); // compacts the journal: the sender's view is what survives
    const reopened = await h.open({ store: h.newStore(), retentionDays: 7 });
    expect(stateOf(reopened, wrong.jobId)).toBe('cancelled');
    expect(stateOf(reopened, right.jobId)).toBe('sent');
  });

  it('a follower pauses a destination: the sender stops sending to it, also after a restart', async () => {
    const h = await makeHarness(['pacs'], { admitToJournal: true });
    const sender = await startSender(h);
    const { jobId } = await sender.enqueue(await h.makeInstance(1));
    const follower = await h.openOther();

    await follower.pause({ destination: 'pacs' });
    expect(follower.snapshot().destinations[0]).toMatchObject({
      paused: false,
      controlPending: true,
    });
    await rescanUntil(h, () => sender.snapshot().destinations[0]?.paused === true, 'pause applied');
    h.timers.advance(LINGER_MS);
    await sender.whenSettled();
    expect(sentIds(h)).toEqual([]);

    await follower.rescan();
    expect(follower.snapshot().destinations[0]).toEqual(
      expect.not.objectContaining({ controlPending: true }),
    );
    expect(follower.snapshot().destinations[0]?.paused).toBe(true);

    await sender.stop();
    const reopened = await startSender(h, { batchLingerMs: 0 });
    expect(reopened.snapshot().destinations[0]?.paused).toBe(true);
    await follower.resume({ destination: 'pacs' });
    await rescanUntil(h, () => stateOf(reopened, jobId) === 'sent', 'resumed and sent');
    await reopened.stop();
  });

  it('a follower retries a needs-attention item: the sender queues and sends it again', async () => {
    const h = await makeHarness(['pacs'], { admitToJournal: true });
    const pacs = h.senders.get('pacs');
    if (!pacs) throw new Error('no pacs sender');
    pacs.answer = () => ({ kind: 'refused', message: 'refused', status: 0xa700 });
    const sender = await startSender(h, { batchLingerMs: 0 });
    const { jobId } = await sender.enqueue(await h.makeInstance(1));
    await until(() => stateOf(sender, jobId) === 'needs-attention', 'refused');
    pacs.answer = () => ({ kind: 'stored', message: 'stored' });
    const follower = await h.openOther();

    await follower.retryNow({ destination: 'pacs', jobId });
    await rescanUntil(h, () => stateOf(sender, jobId) === 'sent', 'retried and sent');
    expect(sentIds(h)).toEqual([jobId, jobId]);
    await sender.stop();
    expect(stateOf(await h.open({ store: h.newStore(), retentionDays: 7 }), jobId)).toBe('sent');
  });

  it('a request written while no process sends is applied at open, before anything is sent', async () => {
    const h = await makeHarness(['pacs'], { admitToJournal: true });
    const follower = await h.openOther();
    const wrong = await follower.enqueue(await h.makeInstance(1));
    const right = await follower.enqueue(await h.makeInstance(2));
    await follower.cancel({ destination: 'pacs', jobId: wrong.jobId }, { confirmed: true });

    const sender = await startSender(h, { batchLingerMs: 0 });
    await sender.whenSettled();
    expect(sentIds(h)).toEqual([right.jobId]);
    expect(stateOf(sender, wrong.jobId)).toBe('cancelled');
    expect(await requestFiles(h)).toEqual([]);
    await sender.stop();
  });

  it('a request the sender cannot read is moved aside and logged; sending goes on', async () => {
    const h = await makeHarness(['pacs'], { admitToJournal: true });
    const logger = recordingLogger();
    const store = h.newStore({ admitToJournal: true, logger });
    const sender = await startSender(h, { store, logger });
    const { jobId } = await sender.enqueue(await h.makeInstance(1));
    const requests = join(h.store.folder, 'requests');
    await mkdir(requests, { recursive: true });
    await writeFile(join(requests, '000000000-0000-00000000.json'), '{"version":1,"act');
    const unknownAction = { version: 1, action: 'delete', destination: 'pacs', requestedAt: 'x' };
    await writeFile(join(requests, '000000000-0001-00000000.json'), JSON.stringify(unknownAction));
    const follower = await h.openOther();
    await follower.cancel({ destination: 'pacs', jobId: 'gone0000-1' }, { confirmed: true });

    h.timers.advance(RESCAN_MS);
    await until(() => logger.lines.some((l) => l.includes('control request dropped')), 'dropped');
    await untilNoRequests(h);
    expect((await readdir(join(requests, 'rejected'))).sort()).toEqual([
      '000000000-0000-00000000.json',
      '000000000-0001-00000000.json',
    ]);
    expect(logger.lines.filter((l) => l.includes('malformed control request'))).toHaveLength(2);
    h.timers.advance(LINGER_MS);
    await until(() => stateOf(sender, jobId) === 'sent', 'still sending');
    await sender.rescan(); // nothing left to apply: no error, nothing logged again
    expect(logger.lines.filter((l) => l.startsWith('error') && !l.includes('malformed'))).toEqual(
      [],
    );
    await sender.stop();
  });

  it('a follower validates as the sender does and writes nothing it refuses', async () => {
    const h = await makeHarness(['pacs']);
    const follower = await h.openOther();
    await expect(follower.pause({ destination: 'vna' })).rejects.toBeInstanceOf(
      UnknownDestinationError,
    );
    await expect(
      follower.cancel({ destination: 'pacs' }, { confirmed: false } as unknown as {
        confirmed: true;
      }),
    ).rejects.toThrow('confirmation');
    expect(await requestFiles(h)).toEqual([]);
  });

  it('requests come back in the order written; a cancel without confirmation is not one', async () => {
    const h = await makeHarness(['pacs']);
    const requests = new ControlRequests(join(h.store.folder, 'requests'));
    const at = new Date(h.timers.now).toISOString();
    const actions = ['pause', 'cancel', 'resume', 'retry', 'cancel', 'resume'] as const;
    for (const action of actions)
      await requests.write(controlRequest(action, { destination: 'pacs' }, at));
    const unconfirmed = { version: 1, action: 'cancel', destination: 'pacs', requestedAt: at };
    await writeFile(
      join(requests.folder, 'zzzzzzzzz-0000-00000000.json'),
      JSON.stringify(unconfirmed),
    );
    const pending = await requests.pending({ discardInvalid: false });
    expect(pending.map((p) => p.request.action)).toEqual(actions);
    expect(pending[1]?.request).toMatchObject({ action: 'cancel', confirmed: true });
    expect(await readdir(requests.folder)).toContain('zzzzzzzzz-0000-00000000.json'); // a follower leaves it
  });
});
