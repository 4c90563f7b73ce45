/**
 * Sends what is ready: per destination one batch in flight at a time, a destination-wide back-off
 * after a transient failure (a PACS that is down is down for every item), storage commitment for
 * items already sent, and removal of finished jobs once their retention has passed.
 *
 * Storage commitment runs beside sending, one request per destination at a time: it has its own
 * association (PS3.4 J.3.2) and its report may take minutes (J.3.3), so a destination whose
 * archive is slow to confirm still gets new captures at once.
 */
import type { Logger } from '../log/Logger';
import { afterSend } from './applyOutcome';
import { askForCommitment, lingerEnd } from './batchPolicy';
import { RetentionPurger } from './RetentionPurger';
import type { JobBook } from './JobBook';
import type { Delivery, JobRecord } from './jobTypes';
import { retryDelayMs, type RetryPolicy } from './retryPolicy';
import type { Clock, DestinationBinding, Timers } from './runtimeTypes';
import type { JobStore } from './JobStore';
import type { ItemKind, SendItem, SendOutcome } from './senderTypes';
import {
  isCommitDue,
  isPending,
  isSendDue,
  isWaiting,
  pickJobs,
  queuedKinds,
  sendItemOf,
  withAnnounced,
} from './deliverySelection';

export interface DestinationRuntime {
  /** A send batch is in flight. */
  busy: boolean;
  /** A storage commitment request is in flight (waiting for its report, maybe). */
  committing: boolean;
  paused: boolean;
  /** Consecutive transient failures; reset by any success. */
  failures: number;
  /** When the first of those failures happened (ms); cleared with them. */
  failingSince?: number;
  /** No attempt before this time (ms). */
  retryAt: number;
  lastProblem?: string;
  /** Since when a batch smaller than maxBatch has been waiting for more items (ms). */
  lingerSince?: number;
}

export class Dispatcher {
  readonly runtime = new Map<string, DestinationRuntime>();
  private running = false;
  private wakeTimer: unknown;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly aborts = new Set<AbortController>();
  /** Batches waiting for items to become ready (moreFor); woken by every pump. */
  private readonly enqueueWaiters = new Set<() => void>();
  private idleWaiters: (() => void)[] = [];
  private readonly purger: RetentionPurger;
  private readonly pendingWrites = new Set<Promise<void>>();
  /** `${jobId}/${destination}` → bytes sent, for items in flight. */
  readonly bytesSent = new Map<string, number>();
  private lastProgressEvent = 0;
  /** Kinds announced as coming (expect), by destination, each entry until withdrawn. */
  private readonly announced = new Set<ReadonlyMap<string, readonly ItemKind[]>>();

  constructor(
    private readonly book: JobBook,
    private readonly store: JobStore,
    private readonly destinations: ReadonlyMap<string, DestinationBinding>,
    private readonly env: {
      clock: Clock;
      timers: Timers;
      random: () => number;
      policy: RetryPolicy;
      retentionDays: number;
      logger?: Logger;
      /** A batch smaller than maxBatch waits at most this long for more items (0: never). */
      lingerMs?: number;
    },
  ) {
    for (const name of destinations.keys()) {
      this.runtime.set(name, {
        busy: false,
        committing: false,
        paused: false,
        failures: 0,
        retryAt: 0,
      });
    }
    this.purger = new RetentionPurger(book, env.retentionDays, env.clock, env.logger);
  }

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    this.running = true;
    this.pump();
  }

  /** Stops starting new work, aborts batches in flight and waits for them to settle. */
  async stop(): Promise<void> {
    this.running = false;
    for (const wake of [...this.enqueueWaiters]) wake();
    this.env.timers.clearTimeout(this.wakeTimer);
    for (const abort of this.aborts) abort.abort();
    await Promise.allSettled([...this.inFlight]);
    await Promise.allSettled(
      [...this.destinations.values()].map((b) => b.sender.close?.() ?? Promise.resolve()),
    );
    await Promise.allSettled([...this.pendingWrites]);
    await this.purger.finish(this.env.clock.now());
  }

  /** Looks for work now (after an enqueue, a resume, a retry-now, or a timer). */
  pump(): void {
    for (const wake of [...this.enqueueWaiters]) wake();
    if (!this.running) return;
    this.env.timers.clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    const now = this.env.clock.now();
    let lingerEnds = Infinity;
    for (const [name, binding] of this.destinations) {
      const runtime = this.runtime.get(name);
      if (!runtime || runtime.paused || runtime.retryAt > now) continue;
      if (!runtime.busy) {
        const work = this.startSend(name, binding, runtime, now);
        if (typeof work === 'number') lingerEnds = Math.min(lingerEnds, work);
        else if (work) this.track(work, runtime, 'busy');
      }
      if (!runtime.committing) {
        const work = this.startCommit(name, binding, now);
        if (work) this.track(work, runtime, 'committing');
      }
    }
    this.purger.start(now);
    this.armTimer(now, lingerEnds);
    this.notifyIfIdle();
  }

  /** See Outbox.expectKinds. */
  expect(byDestination: ReadonlyMap<string, readonly ItemKind[]>): () => void {
    const entry = new Map(byDestination);
    this.announced.add(entry);
    return () => {
      this.announced.delete(entry);
    };
  }

  /** Whether kinds are announced as coming to `name` (expect, not yet withdrawn). */
  private isAnnounced(name: string): boolean {
    for (const byDestination of this.announced) if (byDestination.has(name)) return true;
    return false;
  }

  /** Resolves when nothing is being sent and nothing is ready or waiting to be retried. */
  whenSettled(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.notifyIfIdle();
    });
  }

  private track(
    work: Promise<void>,
    runtime: DestinationRuntime,
    flag: 'busy' | 'committing',
  ): void {
    runtime[flag] = true;
    const done = work
      .catch((error: unknown) => this.env.logger?.error('outbox: batch failed', { error }))
      .finally(() => {
        runtime[flag] = false;
        // What became ready while this batch was in flight has waited already: no linger.
        if (flag === 'busy') runtime.lingerSince = Number.NEGATIVE_INFINITY;
        this.inFlight.delete(done);
        this.pump();
      });
    this.inFlight.add(done);
  }

  /** The commitment request started for items sent and due to be asked, or nothing to do. */
  private startCommit(
    name: string,
    binding: DestinationBinding,
    now: number,
  ): Promise<void> | undefined {
    const { sender } = binding;
    if (!sender.commit) return undefined;
    const toCommit = this.pick(name, Math.max(1, sender.maxBatch), (d) => isCommitDue(d, now));
    if (toCommit.length === 0) return undefined;
    const { clock, policy } = this.env;
    return askForCommitment(this.book, name, sender.commit.bind(sender), toCommit, clock, policy);
  }

  /** The batch started, or the time until which a small batch lingers, or nothing to do. */
  private startSend(
    name: string,
    binding: DestinationBinding,
    runtime: DestinationRuntime,
    now: number,
  ): Promise<void> | number | undefined {
    const max = Math.max(1, binding.sender.maxBatch);
    const toSend = this.pick(name, max, (d) => isSendDue(d, now));
    if (toSend.length === 0) {
      runtime.lingerSince = undefined;
      return undefined;
    }
    // An announced stream (an import, expect) needs no linger to gather a batch: the batch
    // takes what the import admits while it runs (moreFor), so it may start with the first item.
    const lingerMs = this.isAnnounced(name) ? 0 : (this.env.lingerMs ?? 0);
    const lingerEnds = lingerEnd(runtime, toSend.length, max, now, lingerMs);
    if (lingerEnds !== undefined) return lingerEnds;
    return this.sendBatch(name, binding, toSend);
  }

  private pick(
    name: string,
    max: number,
    due: (d: Delivery) => boolean,
    accept?: (job: JobRecord) => boolean,
  ): SendItem[] {
    return pickJobs(this.book.jobs.values(), name, max, due, accept).map((job) => this.itemOf(job));
  }

  private itemOf(job: JobRecord): SendItem {
    return sendItemOf(job, this.store.instancePath(job.id));
  }

  private async sendBatch(
    name: string,
    binding: DestinationBinding,
    items: SendItem[],
  ): Promise<void> {
    for (const item of items) this.book.mark(item.jobId, name, (d) => ({ ...d, state: 'sending' }));
    const abort = new AbortController();
    this.aborts.add(abort);
    const writes: Promise<void>[] = [];
    const reported = new Set<string>();
    let attempted = false;
    const report = (item: SendItem, outcome: SendOutcome) => {
      if (reported.has(item.jobId)) return;
      reported.add(item.jobId);
      attempted ||= outcome.kind !== 'not-attempted';
      writes.push(this.record(name, item, outcome));
    };
    try {
      const progress = (item: SendItem, bytes: number) => this.noteProgress(name, item, bytes);
      const more = (max: number, accept?: (item: SendItem) => boolean) =>
        this.moreFor(
          name,
          items,
          abort.signal,
          max,
          (job) =>
            // Not what this batch handed back as not attempted: that waits for the next batch.
            !reported.has(job.id) && (accept?.(this.itemOf(job)) ?? true),
        );
      const kinds = withAnnounced(
        queuedKinds(this.book.jobs.values(), name, this.env.clock.now()),
        [...this.announced].map((byDestination) => byDestination.get(name) ?? []),
      );
      await binding.sender.send(items, {
        signal: abort.signal,
        report,
        progress,
        more,
        queuedKinds: kinds,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      for (const item of items) report(item, { kind: 'retry', message });
    } finally {
      this.aborts.delete(abort);
    }
    for (const item of items) report(item, { kind: 'not-attempted' });
    if (!attempted && !abort.signal.aborted) this.stalled(name);
    // The next batch need not wait for these fsyncs (memory already has the outcome; a crash
    // before they land only means a resend); "settled" and stop() do wait for them.
    this.trackWrites(Promise.all(writes).then(() => undefined));
  }

  /**
   * A running batch takes what became ready meanwhile (an import admits a group every few tens of
   * ms), so its associations stay busy instead of the batch ending on its slowest association and
   * the next one starting after it (bench/import: 2,000 instances in batches of 15 took 10.4–11.6
   * s against 7.7–8.5 s in one). Waits up to lingerMs for an enqueue (pump) before giving up,
   * unless something it cannot accept is ready: the next batch can.
   * A batch grows to MAX_BATCH_GROWTH items at most, then ends (its outcomes are written, the next
   * one reuses its associations): a stream of captures must not keep one batch open forever.
   */
  private async moreFor(
    name: string,
    batch: SendItem[],
    signal: AbortSignal,
    max: number,
    accept: (job: JobRecord) => boolean,
  ): Promise<SendItem[]> {
    const giveUpAt = this.env.clock.now() + (this.env.lingerMs ?? 0);
    for (;;) {
      const runtime = this.runtime.get(name);
      const now = this.env.clock.now();
      const stopped = signal.aborted || !this.running || batch.length >= MAX_BATCH_GROWTH;
      if (stopped || !runtime || runtime.paused || runtime.retryAt > now) return [];
      const extra = this.pick(name, max, (d) => isSendDue(d, now), accept);
      if (extra.length > 0) {
        for (const item of extra)
          this.book.mark(item.jobId, name, (d) => ({ ...d, state: 'sending' }));
        batch.push(...extra);
        return extra;
      }
      // Ready work this batch cannot carry (another SOP class, handed back) ends it now: waiting
      // would hold that work back by the linger (bench/import: the MR series after the CT).
      if (now >= giveUpAt || this.pick(name, 1, (d) => isSendDue(d, now)).length > 0) return [];
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.env.timers.clearTimeout(timer);
          this.enqueueWaiters.delete(wake);
          resolve();
        };
        const timer = this.env.timers.setTimeout(wake, giveUpAt - now);
        this.enqueueWaiters.add(wake);
      });
    }
  }

  /** Progress events at most every 250 ms: a 2 GB video must not flood the UI. */
  private noteProgress(name: string, item: SendItem, bytes: number): void {
    this.bytesSent.set(`${item.jobId}/${name}`, bytes);
    const now = this.env.clock.now();
    if (now - this.lastProgressEvent < 250 && bytes < item.bytes) return;
    this.lastProgressEvent = now;
    this.book.emit({
      type: 'delivery-progress',
      jobId: item.jobId,
      destination: name,
      bytesSent: bytes,
    });
  }

  private trackWrites(writes: Promise<void>): void {
    const tracked = writes
      .catch((error: unknown) =>
        this.env.logger?.error('outbox: could not record an outcome', { error }),
      )
      .finally(() => {
        this.pendingWrites.delete(tracked);
        this.notifyIfIdle();
      });
    this.pendingWrites.add(tracked);
  }

  private record(name: string, item: SendItem, outcome: SendOutcome): Promise<void> {
    const now = this.env.clock.now();
    this.bytesSent.delete(`${item.jobId}/${name}`);
    const runtime = this.runtime.get(name);
    if (runtime && outcome.kind === 'stored') {
      if (runtime.failures > 0) this.book.emit({ type: 'destination-changed', destination: name });
      runtime.failures = 0;
      runtime.failingSince = undefined;
      runtime.retryAt = 0;
      runtime.lastProblem = undefined;
    }
    if (runtime && outcome.kind === 'retry') this.backOff(name, runtime, outcome.message, now);
    if (outcome.kind !== 'stored' && outcome.kind !== 'not-attempted') {
      this.env.logger?.warn('outbox: not delivered', {
        destination: name,
        sopInstanceUid: item.sopInstanceUid,
        outcome: outcome.kind,
        message: outcome.message,
      });
    }
    const moment = { now, retryAt: runtime?.retryAt };
    return this.book.update(item.jobId, name, (d) =>
      d.state === 'cancelled' && outcome.kind !== 'stored'
        ? d
        : afterSend(d, outcome, moment, this.env.policy),
    );
  }

  /**
   * A batch that ended, not stopped, with nothing tried (a sender that reported nothing, or handed
   * every item back): the items are queued again without an attempt counted, so without a back-off
   * the next batch would take them at once, for ever, at full CPU.
   */
  private stalled(name: string): void {
    const runtime = this.runtime.get(name);
    if (!runtime) return;
    const message = 'the sender ended a batch without trying any item; trying again later';
    this.env.logger?.warn('outbox: batch made no progress', { destination: name });
    this.backOff(name, runtime, message, this.env.clock.now());
  }

  /** One back-off step per batch, not per item: the whole batch failed for the same reason. */
  private backOff(name: string, runtime: DestinationRuntime, message: string, now: number): void {
    runtime.lastProblem = message;
    if (runtime.retryAt > now) return;
    runtime.failingSince ??= now;
    runtime.failures += 1;
    runtime.retryAt = now + retryDelayMs(runtime.failures, this.env.policy, this.env.random);
    this.book.emit({ type: 'destination-changed', destination: name });
  }

  private armTimer(now: number, lingerEnds: number): void {
    let next = lingerEnds;
    for (const [name, runtime] of this.runtime) {
      if (runtime.paused || (runtime.busy && runtime.committing)) continue;
      if (runtime.retryAt > now) {
        if (this.hasPending(name)) next = Math.min(next, runtime.retryAt);
        continue;
      }
      // Work of a kind already in flight is looked for again when that ends (track), not here.
      const canCommit = this.canCommit(name) && !runtime.committing;
      for (const job of this.book.jobs.values()) {
        const d = job.deliveries[name];
        const at = d?.nextAttemptAt;
        if (!at || !d || d.paused || (runtime.busy && d.state === 'waiting-to-retry')) continue;
        if (isWaiting(d, canCommit)) next = Math.min(next, Date.parse(at));
      }
    }
    if (next === Infinity) return;
    // A lingering batch is work about to be done: it keeps the process alive until sent.
    this.wakeTimer = this.env.timers.setTimeout(() => this.pump(), Math.max(0, next - now), {
      keepAlive: next === lingerEnds,
    });
  }

  private canCommit(name: string): boolean {
    return this.destinations.get(name)?.sender.commit !== undefined;
  }

  private hasPending(name: string): boolean {
    const canCommit = this.canCommit(name);
    for (const job of this.book.jobs.values()) {
      const d = job.deliveries[name];
      if (d && !d.paused && isPending(d, canCommit)) return true;
    }
    return false;
  }

  /** Settled: nothing in flight and, for every destination not paused, nothing left to do. */
  isSettled(): boolean {
    if (this.pendingWrites.size > 0) return false;
    for (const [name, runtime] of this.runtime) {
      if (runtime.busy || runtime.committing) return false;
      if (!runtime.paused && this.hasPending(name)) return false;
    }
    return true;
  }

  private notifyIfIdle(): void {
    if (this.idleWaiters.length === 0 || !this.isSettled()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

const MAX_BATCH_GROWTH = 2048;
