/**
 * The outbox: captures are spooled durably (enqueue resolves only once the instance and its job
 * are on disk — the moment the UI may say "saved"), then sent to each destination with retries,
 * storage commitment where configured, and honest status. Nothing is ever deleted by a retry
 * policy: what cannot be sent waits in needs-attention for a person.
 *
 * Controls (pause, resume, retry now, cancel) and who may apply them: only the sending process
 * (the spool lock's holder) changes job state, because it owns it — it never re-reads a job it
 * knows, and its journal lines and compaction would overwrite any other process's. In a
 * follower (`maySend: false`) a control is validated as here, then written as a durable request
 * (controlRequests.ts) and resolves once that is on disk; the sender applies requests oldest
 * first through the same code as its own controls, at open (before sending starts) and at every
 * rescan, then removes them. Until then the follower's snapshot marks the target
 * `controlPending`; its rescan shows the result once applied.
 */
import { basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import { readPart10Info, type Part10Info } from '../dimse/part10';
import { Dispatcher } from './Dispatcher';
import { ControlApplier, unknownMessage } from './ControlApplier';
import { OutboxError, OutboxFullError, UnknownDestinationError } from './errors';
import { JobBook, type OutboxListener } from './JobBook';
import type { Admission, AdmitMode } from './admitBatch';
import { GroupAdmitter } from './GroupAdmitter';
import { isDeliveryFinished, newDelivery, type JobRecord } from './jobTypes';
import { DEFAULT_RETRY_POLICY } from './retryPolicy';
import {
  systemClock,
  systemTimers,
  type Clock,
  type DestinationBinding,
  type OutboxDeps,
  type Timers,
} from './runtimeTypes';
import type { ItemKind } from './senderTypes';
import { buildSnapshot, type OutboxSnapshot } from './statusSnapshot';
import {
  controlRequest,
  type ControlAction,
  type ControlTarget,
  type PendingControl,
} from './controlRequests';

export type { ControlTarget } from './controlRequests';

export interface EnqueueOptions {
  /** Destination names; default: the routing for this kind of instance. */
  readonly destinations?: readonly string[];
  /** 'move' takes the file away from the caller (same file system: a rename); default 'copy'. */
  readonly mode?: AdmitMode;
  /**
   * The file's Part-10 info, given by code of the station that has just written the file itself
   * (an import's coercion): its meta group is then not read again. Trusted as given — never pass
   * one that came from outside the process; it is used only when its path is the file's.
   */
  readonly part10?: Part10Info;
}

export interface EnqueueReceipt {
  readonly jobId: string;
  readonly sopInstanceUid: string;
  readonly destinations: readonly string[];
}

/**
 * stop() was called: the spool lock is about to be released, and only its holder may write the
 * journal (UpdateJournal.ts), so nothing more is admitted.
 */
export class OutboxStoppingError extends OutboxError {
  override readonly name = 'OutboxStoppingError';
  constructor() {
    super('the outbox is stopping (the app is closing): nothing was saved; capture again later');
  }
}

const GIB = 1024 ** 3;

export class Outbox {
  private readonly book: JobBook;
  private readonly dispatcher: Dispatcher;
  private readonly bindings: ReadonlyMap<string, DestinationBinding>;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly admitter: GroupAdmitter;
  private readonly controls: ControlApplier;
  private rescanTimer: unknown;
  /** start() was called and stop() not yet: keep reading jobs other processes write. */
  private following = false;
  /** stop() was called: enqueues are refused (OutboxStoppingError). */
  private stopping = false;
  /** Enqueues accepted and not yet settled (never rejecting): stop() waits for them. */
  private readonly enqueuesInFlight = new Set<Promise<void>>();
  /** In a follower: control requests on disk (or just written), not yet applied by the sender. */
  private requested: readonly PendingControl[] = [];

  private constructor(private deps: OutboxDeps) {
    this.clock = deps.clock ?? systemClock;
    this.timers = deps.timers ?? systemTimers;
    this.bindings = new Map(deps.destinations.map((d) => [d.name, d]));
    this.book = new JobBook(deps.store, () => this.clock.now());
    this.dispatcher = new Dispatcher(this.book, deps.store, this.bindings, {
      clock: this.clock,
      timers: this.timers,
      random: deps.random ?? Math.random,
      policy: { ...DEFAULT_RETRY_POLICY, ...deps.policy },
      retentionDays: deps.retentionDays ?? 7,
      logger: deps.logger,
      lingerMs: deps.batchLingerMs ?? 0,
    });
    this.admitter = new GroupAdmitter((group) => this.admitGroup(group));
    const { store, logger } = deps;
    const { book, dispatcher, bindings } = this;
    this.controls = new ControlApplier({ book, dispatcher, store, bindings, logger });
  }

  /**
   * Opens the spool. `recover: true` (only for the process that sends, holding the spool lock)
   * repairs what a crash left: interrupted sends go back to queued, unfinished enqueues are dropped.
   */
  static async open(deps: OutboxDeps, options: { recover: boolean }): Promise<Outbox> {
    const outbox = new Outbox(deps);
    const applies = options.recover && !outbox.isFollower;
    // Listed before the jobs are read (see rescan); applied before anything is sent.
    const requested = await outbox.pendingControls(applies);
    outbox.book.adopt(await deps.store.load(options));
    await outbox.followPausedDestinations();
    if (applies) {
      await outbox.controls.applyRequested(requested);
      await outbox.flagRemovedDestinations();
    } else outbox.showRequested(requested);
    return outbox;
  }

  /** Another process sends: this one requests controls of it (see the module comment). */
  private get isFollower(): boolean {
    return this.deps.maySend === false;
  }

  /**
   * Work for a destination no longer in the configuration cannot be sent: it goes to
   * needs-attention, saying so, rather than waiting forever unseen.
   */
  private async flagRemovedDestinations(): Promise<void> {
    const at = new Date(this.clock.now()).toISOString();
    const updates: Promise<void>[] = [];
    for (const job of this.book.jobs.values()) {
      for (const [name, delivery] of Object.entries(job.deliveries)) {
        if (this.bindings.has(name) || isDeliveryFinished(delivery)) continue;
        if (delivery.state === 'needs-attention') continue;
        const message = `destination "${name}" is no longer configured`;
        updates.push(
          this.book.update(job.id, name, (d) => ({
            ...d,
            state: 'needs-attention',
            lastProblem: { message, at },
          })),
        );
      }
    }
    await Promise.all(updates);
  }

  /**
   * Spools a finished Part-10 file for sending. Resolves once the instance and its job are
   * durable. Rejects, with nothing saved, when the file is not Part-10 (Part10Error), a named
   * destination is not configured (UnknownDestinationError), or the free-space guard refuses
   * (OutboxFullError), or stop() was called (OutboxStoppingError). Concurrent calls share their
   * flushes (GroupAdmitter).
   */
  enqueue(file: string, options: EnqueueOptions = {}): Promise<EnqueueReceipt> {
    return this.unlessStopping(async () => {
      const admission = await this.admissionFor(file, options);
      await this.admitter.admit(admission);
      return receiptOf(admission);
    });
  }

  /**
   * Spools many files as one group commit (admitBatch.ts). One result per file, in order, each
   * exactly as enqueue() would have settled: a refused file does not stop the others.
   */
  async enqueueMany(
    files: readonly string[],
    options: EnqueueOptions = {},
  ): Promise<PromiseSettledResult<EnqueueReceipt>[]> {
    const admitEach = async () => {
      const prepared = await Promise.allSettled(files.map((f) => this.admissionFor(f, options)));
      return Promise.allSettled(
        prepared.map(async (p) => {
          if (p.status === 'rejected') throw p.reason;
          await this.admitter.admit(p.value);
          return receiptOf(p.value);
        }),
      );
    };
    // admitEach never rejects: a rejection is the refusal of a stopping outbox, for every file.
    return this.unlessStopping(admitEach).catch((reason: unknown) =>
      files.map((): PromiseRejectedResult => ({ status: 'rejected', reason })),
    );
  }

  /** Runs `enqueue` unless stop() was called, and tracks it until it settles (see stop()). */
  private unlessStopping<T>(enqueue: () => Promise<T>): Promise<T> {
    if (this.stopping) return Promise.reject(new OutboxStoppingError());
    const running = enqueue();
    const settled = running.then(
      () => undefined,
      () => undefined,
    );
    this.enqueuesInFlight.add(settled);
    void settled.then(() => this.enqueuesInFlight.delete(settled));
    return running;
  }

  private async admissionFor(file: string, options: EnqueueOptions): Promise<Admission> {
    const known = options.part10;
    const info = known?.path === file ? known : await readPart10Info(file);
    const names = this.destinationsFor(info.sopClassUid, options.destinations);
    const now = this.clock.now();
    const job: JobRecord = {
      version: 1,
      id: newJobId(now),
      sopClassUid: info.sopClassUid,
      sopInstanceUid: info.sopInstanceUid,
      bytes: info.fileSize,
      transferSyntaxUid: info.transferSyntaxUid,
      dataSetOffset: info.dataSetOffset,
      enqueuedAt: new Date(now).toISOString(),
      sourceName: basename(file),
      deliveries: Object.fromEntries(
        names.map((name) => [name, newDelivery(this.bindings.get(name)?.commitRequested ?? false)]),
      ),
    };
    return { job, source: file, mode: options.mode ?? 'copy' };
  }

  /** One group: the free-space guard over the group's total, then one durable batch. */
  private async admitGroup(group: readonly Admission[]): Promise<(Error | undefined)[]> {
    const errors: (Error | undefined)[] = await this.refuseBeyondFreeSpace(group);
    const admissible = group.filter((_, i) => errors[i] === undefined);
    const store = this.deps.store;
    const results = store.admitMany
      ? await store.admitMany(admissible)
      : await Promise.all(
          admissible.map((a) =>
            store.admit(a.job, a.source, a.mode).then(
              () => undefined,
              (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
            ),
          ),
        );
    let next = 0;
    group.forEach((admission, i) => {
      if (errors[i] !== undefined) return;
      const error = results[next++];
      if (error) errors[i] = error;
      else this.book.added(admission.job);
    });
    this.dispatcher.pump();
    return errors;
  }

  private async refuseBeyondFreeSpace(group: readonly Admission[]): Promise<(Error | undefined)[]> {
    const reserve = this.deps.minFreeBytes ?? GIB;
    const free = await this.deps.store.freeBytes();
    let taken = 0;
    return group.map((a) => {
      if (free - taken - a.job.bytes < reserve)
        return new OutboxFullError(free - taken, a.job.bytes + reserve);
      taken += a.job.bytes;
      return undefined;
    });
  }

  /** Starts sending (and looking for jobs other processes add). Call once, holding the spool lock. */
  start(): void {
    if (this.deps.maySend !== false) this.dispatcher.start();
    else
      this.deps.logger?.warn('outbox: another process sends from this spool; only enqueueing here');
    this.following = true;
    this.scheduleRescan();
  }

  /**
   * Stops sending; batches in flight are aborted and their items go back to the queue. Enqueues
   * are refused from the call on; those already accepted settle first (each durable and kept, or
   * rejected to its caller), so none is left half done when the spool lock is released.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.following = false;
    this.timers.clearTimeout(this.rescanTimer);
    this.rescanTimer = undefined;
    const sending = this.dispatcher.isRunning;
    await this.dispatcher.stop();
    // Compaction keeps only jobs in the book: an admission line whose job is not there yet would
    // be dropped, and its instance, placed a moment later, never sent (nor shown, nor purged).
    await Promise.all(this.enqueuesInFlight);
    // The sending process holds the spool lock: it may fold the store's journal (JobStore.compact).
    if (sending)
      await this.deps.store.compact?.([...this.book.jobs.values()]).catch((error: unknown) => {
        this.deps.logger?.warn('outbox: update journal not compacted at stop', { error });
      });
    const onStop = this.deps.onStop;
    this.deps = { ...this.deps, onStop: undefined };
    await onStop?.();
  }

  /**
   * Kinds (SOP class, transfer syntax) about to be enqueued for `destinations`, e.g. by an import
   * that has read its medium: a batch proposes them from its first association (as far as the
   * peer accepts them), so a later series of another class goes on the associations already open
   * instead of waiting for the batch to end and new ones to be negotiated (bench/import: sending
   * slowed, then stopped for ~0.25 s, where the CT series gave way to the MR). While announced,
   * a destination's batch starts with its first ready item instead of lingering for company
   * (it takes the rest as they are admitted). Only this process's batches see it.
   * `destinations`: as for enqueue, default the routing of each kind's SOP class (a kind no
   * configured destination takes is left out). Returns the call that withdraws it: make it when
   * the enqueues are done.
   */
  expectKinds(kinds: readonly ItemKind[], destinations?: readonly string[]): () => void {
    const byDestination = new Map<string, ItemKind[]>();
    for (const kind of kinds) {
      const names = destinations ?? this.deps.route({ sopClassUid: kind.sopClassUid });
      for (const name of names)
        if (this.bindings.has(name))
          byDestination.set(name, [...(byDestination.get(name) ?? []), kind]);
    }
    return this.dispatcher.expect(byDestination);
  }

  /** Resolves when nothing is left to send or retry (paused and needs-attention items excepted). */
  whenSettled(): Promise<void> {
    return this.dispatcher.whenSettled();
  }

  /**
   * Reads jobs other processes added (e.g. `capture-station queue add`) and sends them too; the
   * sender also applies their control requests. A follower mirrors the spool: jobs, paused
   * destinations, requests still pending.
   */
  async rescan(): Promise<void> {
    const sending = this.dispatcher.isRunning;
    // Requests are listed before jobs are read: a request names a job that was durable before
    // the request was written, so every job a listed request names is found by the load below.
    // A follower sees the same order: a request gone means its result is in the journal read.
    const requested = await this.pendingControls(sending);
    if (sending) {
      // The sender owns the jobs it knows: only files it has not seen are read and adopted.
      const known = (jobId: string) => this.book.knows(jobId);
      this.book.adopt(await this.deps.store.load({ recover: false, known }));
      await this.controls.applyRequested(requested);
    } else {
      this.book.mirror(await this.deps.store.load({ recover: false }));
      await this.followPausedDestinations();
      this.showRequested(requested);
    }
    this.dispatcher.pump();
  }

  /** Whether a job for this SOP Instance UID is here (waiting, sending, or kept after sending). */
  holds(sopInstanceUid: string): boolean {
    for (const job of this.book.jobs.values())
      if (job.sopInstanceUid === sopInstanceUid) return true;
    return false;
  }

  snapshot(): OutboxSnapshot {
    return buildSnapshot({
      jobs: [...this.book.jobs.values()],
      destinations: [...this.bindings.values()].map((binding) => ({
        binding,
        runtime: this.dispatcher.runtime.get(binding.name),
      })),
      now: this.clock.now(),
      sending: this.dispatcher.isRunning,
      formatTime: this.deps.formatTime,
      bytesSent: this.dispatcher.bytesSent,
      controlPending: {
        jobs: new Set(this.requested.flatMap(({ request }) => request.jobId ?? [])),
        destinations: new Set(
          this.requested.flatMap(({ request }) => (request.jobId ? [] : request.destination)),
        ),
      },
    });
  }

  /** Calls `listener` on every change; returns the function that unsubscribes. */
  subscribe(listener: OutboxListener): () => void {
    return this.book.subscribe(listener);
  }

  /**
   * Each control rejects with UnknownDestinationError for a destination not configured. In the
   * sender it resolves once the change is on disk; in a follower once its request is (see the
   * module comment), and the sender applies it within a rescan.
   */
  async pause(target: ControlTarget): Promise<void> {
    await this.control('pause', target);
  }

  async resume(target: ControlTarget): Promise<void> {
    await this.control('resume', target);
  }

  /** Tries again at once: waiting items now, needs-attention items back to the queue. */
  async retryNow(target: ControlTarget): Promise<void> {
    await this.control('retry', target);
  }

  /** Stops sending the target for good. The UI asks the person first; `confirmed` records that. */
  async cancel(target: ControlTarget, confirmation: { confirmed: true }): Promise<void> {
    if (confirmation.confirmed !== true)
      throw new Error('cancel needs the confirmation of a person');
    await this.control('cancel', target);
  }

  private async control(action: ControlAction, target: ControlTarget): Promise<void> {
    this.controls.requireRuntime(target.destination);
    const { store } = this.deps;
    // A store without a request channel (tests in memory): changed here, as before requests.
    if (!this.isFollower || !store.requestControl) return this.controls.apply(action, target);
    const request = controlRequest(action, target, new Date(this.clock.now()).toISOString());
    const id = await store.requestControl(request);
    // Shown as pending at once; the next rescan replaces this with what is on disk.
    this.showRequested([...this.requested, { id, request }]);
  }

  /** Control requests on disk, oldest first (none when the store has no such channel). */
  private async pendingControls(discardInvalid: boolean): Promise<PendingControl[]> {
    return (await this.deps.store.pendingControls?.({ discardInvalid })) ?? [];
  }

  /** In a follower: what is pending, for the snapshot; a change is announced for a redraw. */
  private showRequested(requested: readonly PendingControl[]): void {
    const before = this.requested;
    this.requested = requested;
    const key = (list: readonly PendingControl[]) => list.map(({ id }) => id).join('\n');
    if (key(before) === key(requested)) return;
    const touched = new Set([...before, ...requested].map(({ request }) => request.destination));
    for (const destination of touched) this.book.emit({ type: 'destination-changed', destination });
  }

  /**
   * Paused destinations as on disk (control.json). The sender writes it; a follower re-reads it
   * at every rescan so its status shows a pause the sender applied.
   */
  private async followPausedDestinations(): Promise<void> {
    const paused = new Set((await this.deps.store.loadPausedDestinations?.()) ?? []);
    for (const [name, runtime] of this.dispatcher.runtime) {
      if (runtime.paused === paused.has(name)) continue;
      runtime.paused = paused.has(name);
      this.book.emit({ type: 'destination-changed', destination: name });
    }
  }

  private destinationsFor(sopClassUid: string, requested?: readonly string[]): string[] {
    const names = [...new Set(requested ?? this.deps.route({ sopClassUid }))];
    if (names.length === 0) throw new UnknownDestinationError('no destination to send this to');
    for (const name of names) {
      if (!this.bindings.has(name))
        throw new UnknownDestinationError(unknownMessage(name, this.bindings));
    }
    return names;
  }

  /**
   * In the sender the rescan holds the process open until stop(): it is how jobs and control
   * requests from other processes arrive. Without it `queue run` on an idle or paused spool found
   * nothing keeping Node's event loop alive and exited (code 13) with the lock still taken.
   */
  private scheduleRescan(): void {
    const every = this.deps.rescanMs ?? 2_000;
    const keepAlive = this.dispatcher.isRunning;
    this.rescanTimer = this.timers.setTimeout(
      () => {
        void this.rescan()
          .catch((error: unknown) => this.deps.logger?.error('outbox: rescan failed', { error }))
          .finally(() => {
            if (this.following) this.scheduleRescan();
          });
      },
      every,
      { keepAlive },
    );
  }
}

function receiptOf({ job }: Admission): EnqueueReceipt {
  return {
    jobId: job.id,
    sopInstanceUid: job.sopInstanceUid,
    destinations: Object.keys(job.deliveries),
  };
}

/** Sortable by enqueue time (base-36 milliseconds), unique by its random tail. */
function newJobId(now: number): string {
  return `${now.toString(36).padStart(9, '0')}-${randomBytes(5).toString('hex')}`;
}
