/**
 * Drives an Outbox with a fake clock, hand-fired timers and scripted senders, so every state
 * change is asserted without waiting.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../../main/core/log/Logger';
import { FileJobStore, type FileJobStoreOptions } from '../../../main/core/outbox/JobStore';
import { Outbox } from '../../../main/core/outbox/Outbox';
import type {
  DestinationBinding,
  OutboxDeps,
  Timers,
} from '../../../main/core/outbox/runtimeTypes';
import type {
  SendContext,
  SendItem,
  Sender,
  SendOutcome,
} from '../../../main/core/outbox/senderTypes';
import type { JobRecord } from '../../../main/core/outbox/jobTypes';
import { testUid, writeInstance } from './instanceFixture';

export class FakeTimers implements Timers {
  now = Date.parse('2026-11-28T10:42:00Z');
  private pending = new Map<number, { at: number; callback: () => void }>();
  private nextId = 1;

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.set(id, { at: this.now + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Moves the clock forward, firing due timers in time order. */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.pending]
        .filter(([, t]) => t.at <= end)
        .sort((a, b) => a[1].at - b[1].at);
      const first = due[0];
      if (!first) break;
      this.pending.delete(first[0]);
      this.now = Math.max(this.now, first[1].at);
      first[1].callback();
    }
    this.now = end;
  }
}

/** A sender whose answer per item is scripted; records what it was asked to send. */
export class ScriptedSender implements Sender {
  readonly sent: SendItem[] = [];
  answer: (item: SendItem) => SendOutcome = () => ({ kind: 'stored', message: 'stored' });
  constructor(readonly maxBatch = 8) {}

  send(items: readonly SendItem[], context: SendContext): Promise<void> {
    for (const item of items) {
      this.sent.push(item);
      context.report(item, this.answer(item));
    }
    return Promise.resolve();
  }
}

export interface Harness {
  readonly folder: string;
  readonly store: FileJobStore;
  readonly timers: FakeTimers;
  readonly senders: Map<string, ScriptedSender>;
  open(overrides?: Partial<OutboxDeps>): Promise<Outbox>;
  /**
   * Another process on the same spool (the CLI's `queue add`, the app while `queue run` sends):
   * its own store, no lock, no recovery, never sends (createOutbox's `maySend: false`).
   */
  openOther(overrides?: Partial<OutboxDeps>): Promise<Outbox>;
  /** A new store on the spool, as a process started later has (default: the harness's options). */
  newStore(options?: FileJobStoreOptions & { logger?: Logger }): FileJobStore;
  makeInstance(n: number): Promise<string>;
}

export async function makeHarness(
  destinationNames: string[] = ['pacs'],
  storeOptions: FileJobStoreOptions = {},
): Promise<Harness> {
  const folder = await mkdtemp(join(tmpdir(), 'outbox-unit-'));
  const store = new FileJobStore(join(folder, 'outbox'), undefined, storeOptions);
  const timers = new FakeTimers();
  const senders = new Map(destinationNames.map((name) => [name, new ScriptedSender()]));
  const bindings = (): DestinationBinding[] =>
    destinationNames.map((name) => ({
      name,
      sender: senders.get(name) as ScriptedSender,
      commitRequested: false,
      demo: false,
    }));
  return {
    folder,
    store,
    timers,
    senders,
    open: (overrides = {}) =>
      Outbox.open(
        {
          store,
          destinations: bindings(),
          route: () => destinationNames,
          clock: { now: () => timers.now },
          timers,
          random: () => 0.5,
          minFreeBytes: 0,
          retentionDays: 0,
          rescanMs: 60_000,
          formatTime: (ms) => new Date(ms).toISOString().slice(11, 16),
          policy: { baseDelayMs: 1_000, maxDelayMs: 60_000, maxAttempts: 5 },
          ...overrides,
        },
        { recover: true },
      ),
    openOther: (overrides = {}) =>
      Outbox.open(
        {
          store: new FileJobStore(store.folder),
          destinations: destinationNames.map((name) => ({
            name,
            sender: new ScriptedSender(),
            commitRequested: false,
            demo: false,
          })),
          route: () => destinationNames,
          clock: { now: () => timers.now },
          timers,
          minFreeBytes: 0,
          maySend: false,
          ...overrides,
        },
        { recover: false },
      ),
    newStore: ({ logger, ...options } = storeOptions) =>
      new FileJobStore(store.folder, logger, options),
    makeInstance: (n) => writeInstance(join(folder, `in-${n}.dcm`), { sopInstanceUid: testUid(n) }),
  };
}

/** A logger that keeps its lines, for tests that assert what was logged. */
export function recordingLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  const keep = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  };
  return { lines, info: keep('info'), warn: keep('warn'), error: keep('error') };
}

/** Lets queued promise callbacks (store writes, batch completions) run. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Polls (real time, for disk I/O) until `check` holds; throws with `what` after ~5 s. */
export async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1_000; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`never happened: ${what}`);
}

/** Advances the fake clock a step at a time (letting disk I/O run) until `check` holds. */
export async function advanceUntil(
  timers: FakeTimers,
  stepMs: number,
  check: () => boolean,
  what: string,
): Promise<void> {
  for (let i = 0; i < 1_000; i++) {
    if (check()) return;
    timers.advance(stepMs);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`never happened: ${what}`);
}

/** The spool's folders, made: for tests that lay out what a crash (or another process) left. */
export async function spoolFolders(h: Harness): Promise<{ jobs: string; files: string }> {
  await h.store.ensureFolders();
  return { jobs: join(h.store.folder, 'jobs'), files: join(h.store.folder, 'files') };
}

/** A job record as its file holds it, one delivery to `pacs`. */
export function jobRecord(
  id: string,
  state: JobRecord['deliveries'][string]['state'],
  attempts: number,
): JobRecord {
  return {
    version: 1,
    id,
    sopClassUid: '1.2.840.10008.5.1.4.1.1.7',
    sopInstanceUid: `1.2.3.${id.length}`,
    bytes: 10,
    enqueuedAt: '2026-11-28T10:00:00.000Z',
    sourceName: 'x.dcm',
    deliveries: { pacs: { state, attempts, paused: false, commitRequested: false } },
  };
}
