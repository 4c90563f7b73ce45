/**
 * What the outbox view and the status chip show (issue 7, item 5): counts per state per
 * destination, each item's progress, and one honest sentence such as
 * "3 waiting — PACS unreachable since 10:42".
 */
import type { DestinationRuntime } from './Dispatcher';
import {
  DELIVERY_STATES,
  isDeliveryFinished,
  type DeliveryState,
  type JobRecord,
} from './jobTypes';
import type { DestinationBinding } from './runtimeTypes';

export type StateCounts = Record<DeliveryState, number>;

export interface DestinationStatus {
  readonly name: string;
  readonly demo: boolean;
  readonly paused: boolean;
  readonly counts: StateCounts;
  /** First failure of the current run of failures (ISO time), while the destination is failing. */
  readonly failingSince?: string;
  readonly lastProblem?: string;
  /** Next automatic attempt (ISO time) while backing off. */
  readonly retryAt?: string;
  /**
   * A control of the whole destination, asked for in this process, waits for the sending process
   * to apply it (controlRequests.ts); present only then.
   */
  readonly controlPending?: true;
}

export interface ItemStatus {
  readonly jobId: string;
  readonly sopInstanceUid: string;
  readonly sourceName: string;
  readonly bytes: number;
  readonly enqueuedAt: string;
  /** Finished deliveries / all deliveries, 0…1. */
  readonly progress: number;
  /** As DestinationStatus.controlPending, for a control of this item. */
  readonly controlPending?: true;
  readonly deliveries: Readonly<
    Record<
      string,
      {
        readonly state: DeliveryState;
        readonly paused: boolean;
        readonly attempts: number;
        readonly problem?: string;
        readonly status?: number;
        readonly nextAttemptAt?: string;
        /** While sending, when the destination reports it (STOW-RS does). */
        readonly bytesSent?: number;
      }
    >
  >;
}

export interface OutboxSnapshot {
  readonly takenAt: string;
  /** False when this process only enqueues and another one sends. */
  readonly sending: boolean;
  readonly destinations: readonly DestinationStatus[];
  readonly items: readonly ItemStatus[];
  /** Items with at least one delivery not finished. */
  readonly unsent: number;
  readonly needsAttention: number;
  /** Finished deliveries / all deliveries over every item, 0…1 (1 when empty). */
  readonly progress: number;
  /** The status chip's sentence. */
  readonly text: string;
}

export interface SnapshotInput {
  readonly jobs: readonly JobRecord[];
  readonly destinations: readonly { binding: DestinationBinding; runtime?: DestinationRuntime }[];
  readonly now: number;
  readonly sending: boolean;
  readonly formatTime?: (ms: number) => string;
  /** Bytes sent so far of items being sent, keyed `${jobId}/${destination}`. */
  readonly bytesSent?: ReadonlyMap<string, number>;
  /** Jobs and destinations (a control of all its items) with a control request not yet applied. */
  readonly controlPending?: {
    readonly jobs: ReadonlySet<string>;
    readonly destinations: ReadonlySet<string>;
  };
}

export function buildSnapshot(input: SnapshotInput): OutboxSnapshot {
  const pending = input.controlPending;
  const destinations = input.destinations.map(({ binding, runtime }) => ({
    ...destinationStatus(binding, runtime, input.jobs, input.now),
    ...(pending?.destinations.has(binding.name) ? { controlPending: true as const } : {}),
  }));
  const items = input.jobs.map((job) => ({
    ...itemStatus(job, input.bytesSent),
    ...(pending?.jobs.has(job.id) ? { controlPending: true as const } : {}),
  }));
  const all = input.jobs.flatMap((job) => Object.values(job.deliveries));
  const finished = all.filter(isDeliveryFinished).length;
  const unsent = input.jobs.filter(
    (job) => !Object.values(job.deliveries).every(isDeliveryFinished),
  );
  const needsAttention = input.jobs.filter((job) =>
    Object.values(job.deliveries).some((d) => d.state === 'needs-attention'),
  ).length;
  const snapshot = {
    takenAt: new Date(input.now).toISOString(),
    sending: input.sending,
    destinations,
    items,
    unsent: unsent.length,
    needsAttention,
    progress: all.length === 0 ? 1 : finished / all.length,
  };
  return { ...snapshot, text: statusText(snapshot, input.formatTime ?? localHourMinute) };
}

function emptyCounts(): StateCounts {
  return Object.fromEntries(DELIVERY_STATES.map((s) => [s, 0])) as StateCounts;
}

function destinationStatus(
  binding: DestinationBinding,
  runtime: DestinationRuntime | undefined,
  jobs: readonly JobRecord[],
  now: number,
): DestinationStatus {
  const counts = emptyCounts();
  let failingSince: string | undefined;
  let lastProblem: string | undefined;
  for (const job of jobs) {
    const delivery = job.deliveries[binding.name];
    if (!delivery) continue;
    counts[delivery.state] += 1;
    if (delivery.state === 'waiting-to-retry' && delivery.failingSince) {
      failingSince = earlier(failingSince, delivery.failingSince);
      lastProblem = delivery.lastProblem?.message ?? lastProblem;
    }
  }
  // Items on a retry in flight are "sending", but the archive is still down until one of them
  // is stored: the sentence must not flip to "sending" for the moment of each attempt.
  const unsent = counts.queued + counts.sending + counts['waiting-to-retry'];
  if (unsent > 0 && runtime?.failingSince !== undefined)
    failingSince = earlier(failingSince, new Date(runtime.failingSince).toISOString());
  const backingOff = runtime !== undefined && runtime.retryAt > now;
  return {
    name: binding.name,
    demo: binding.demo,
    paused: runtime?.paused ?? false,
    counts,
    failingSince,
    lastProblem: runtime?.lastProblem ?? lastProblem,
    retryAt: backingOff ? new Date(runtime.retryAt).toISOString() : undefined,
  };
}

/** The earlier of two ISO times, either possibly absent. */
function earlier(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  return a < b ? a : b;
}

function itemStatus(job: JobRecord, bytesSent?: ReadonlyMap<string, number>): ItemStatus {
  const deliveries = Object.values(job.deliveries);
  const sentOf = (name: string) => bytesSent?.get(`${job.id}/${name}`);
  // A delivery in flight counts for the share of its bytes already sent.
  const partial = Object.keys(job.deliveries).reduce(
    (sum, name) => sum + Math.min(1, (sentOf(name) ?? 0) / Math.max(1, job.bytes)),
    0,
  );
  const finished = deliveries.filter(isDeliveryFinished).length;
  return {
    jobId: job.id,
    sopInstanceUid: job.sopInstanceUid,
    sourceName: job.sourceName,
    bytes: job.bytes,
    enqueuedAt: job.enqueuedAt,
    progress: deliveries.length === 0 ? 1 : Math.min(1, (finished + partial) / deliveries.length),
    deliveries: Object.fromEntries(
      Object.entries(job.deliveries).map(([name, d]) => [
        name,
        {
          state: d.state,
          paused: d.paused,
          attempts: d.attempts,
          problem: d.cancelRequested
            ? 'cancel requested: it stops unless the send under way completes'
            : d.lastProblem?.message,
          status: d.lastProblem?.status,
          nextAttemptAt: d.nextAttemptAt,
          bytesSent: d.state === 'sending' ? sentOf(name) : undefined,
        },
      ]),
    ),
  };
}

/**
 * One sentence, worst news first: needs-attention, then waiting with the unreachable peer and
 * since when, then sending, then all sent.
 */
export function statusText(
  snapshot: Omit<OutboxSnapshot, 'text'>,
  formatTime: (ms: number) => string,
): string {
  const parts: string[] = [];
  if (snapshot.needsAttention > 0) parts.push(`${snapshot.needsAttention} need attention`);
  const failing = snapshot.destinations.filter((d) => d.failingSince);
  const waiting = snapshot.destinations.reduce((n, d) => n + d.counts['waiting-to-retry'], 0);
  const pending = snapshot.unsent - snapshot.needsAttention;
  if (failing.length > 0) {
    const peers = failing
      .map((d) => `${d.name} unreachable since ${formatTime(Date.parse(d.failingSince ?? ''))}`)
      .join(', ');
    parts.push(`${Math.max(waiting, pending)} waiting — ${peers}`);
  } else if (pending > 0) {
    const paused = snapshot.destinations.filter((d) => d.paused).map((d) => d.name);
    const awaitingCommit = snapshot.items.filter(isOnlyAwaitingCommitment).length;
    if (paused.length > 0) parts.push(`${pending} waiting — ${paused.join(', ')} paused`);
    else if (awaitingCommit === pending) parts.push(`${pending} awaiting storage commitment`);
    else parts.push(snapshot.sending ? `${pending} sending` : `${pending} queued`);
  }
  if (parts.length === 0) return snapshot.items.length === 0 ? 'outbox empty' : 'all sent';
  return parts.join('; ');
}

/** Everything is sent; only the archive's commitment is outstanding. */
function isOnlyAwaitingCommitment(item: ItemStatus): boolean {
  const states = Object.values(item.deliveries).map((d) => d.state);
  return (
    states.includes('sent') &&
    states.every((s) => s === 'sent' || s === 'committed' || s === 'cancelled')
  );
}

function localHourMinute(ms: number): string {
  const date = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
