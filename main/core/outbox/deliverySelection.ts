/**
 * Which deliveries are due, and what a sender is handed for them: pure functions over the job
 * records, for the Dispatcher. A paused delivery is never due.
 */
import type { Delivery, JobRecord } from './jobTypes';
import type { ItemKind, SendItem } from './senderTypes';

/** Kinds a batch proposes besides its own (a DIMSE association carries up to 128 contexts). */
const MAX_KINDS = 64;

/** What a sender is handed for a job: the spooled file and what admission read of it. */
export function sendItemOf(job: JobRecord, path: string): SendItem {
  return {
    jobId: job.id,
    path,
    sopClassUid: job.sopClassUid,
    sopInstanceUid: job.sopInstanceUid,
    bytes: job.bytes,
    transferSyntaxUid: job.transferSyntaxUid,
    dataSetOffset: job.dataSetOffset,
  };
}

/** Up to `max` jobs whose delivery to `name` is due and which `accept` takes, in job order. */
export function pickJobs(
  jobs: Iterable<JobRecord>,
  name: string,
  max: number,
  due: (d: Delivery) => boolean,
  accept: (job: JobRecord) => boolean = () => true,
): JobRecord[] {
  const picked: JobRecord[] = [];
  for (const job of jobs) {
    const delivery = job.deliveries[name];
    if (delivery && !delivery.paused && due(delivery) && accept(job)) picked.push(job);
    if (picked.length >= max) break;
  }
  return picked;
}

/**
 * Distinct SOP class and transfer syntax of the jobs due for `name`, at most MAX_KINDS. A DIMSE
 * batch proposes them all, so an import's later series of another SOP class go on the same
 * associations (bench/import: its 5 DX images waited for the CT batch to end, then for 4 new
 * associations, ~2 s of a 9 s send).
 */
export function queuedKinds(jobs: Iterable<JobRecord>, name: string, now: number): ItemKind[] {
  const kinds = new Map<string, ItemKind>();
  for (const job of jobs) {
    const delivery = job.deliveries[name];
    const { sopClassUid, transferSyntaxUid } = job;
    if (!delivery || delivery.paused || !transferSyntaxUid || !isSendDue(delivery, now)) continue;
    kinds.set(`${sopClassUid}|${transferSyntaxUid}`, { sopClassUid, transferSyntaxUid });
    if (kinds.size >= MAX_KINDS) break;
  }
  return [...kinds.values()];
}

/**
 * `queued`, then the kinds `announced` adds (Outbox.expectKinds: an import's later series), each
 * once, at most MAX_KINDS: what is queued is certain and goes first.
 */
export function withAnnounced(
  queued: readonly ItemKind[],
  announced: Iterable<readonly ItemKind[]>,
): ItemKind[] {
  const kinds = new Map(queued.map((k) => [`${k.sopClassUid}|${k.transferSyntaxUid}`, k]));
  for (const list of announced)
    for (const { sopClassUid, transferSyntaxUid } of list) {
      if (kinds.size >= MAX_KINDS) return [...kinds.values()];
      kinds.set(`${sopClassUid}|${transferSyntaxUid}`, { sopClassUid, transferSyntaxUid });
    }
  return [...kinds.values()];
}

export function isSendDue(d: Delivery, now: number): boolean {
  if (d.state === 'queued') return true;
  return d.state === 'waiting-to-retry' && Date.parse(d.nextAttemptAt ?? '') <= now;
}

export function isCommitDue(d: Delivery, now: number): boolean {
  if (d.state !== 'sent' || !d.commitRequested) return false;
  return d.nextAttemptAt === undefined || Date.parse(d.nextAttemptAt) <= now;
}

/** Waiting for a time: a retry, or (where the destination can) a commitment to ask again. */
export function isWaiting(d: Delivery, canCommit: boolean): boolean {
  return d.state === 'waiting-to-retry' || (canCommit && d.state === 'sent' && d.commitRequested);
}

/** Work remains for this delivery: to send, to retry, or (where possible) to commit. */
export function isPending(d: Delivery, canCommit: boolean): boolean {
  if (d.state === 'queued' || d.state === 'sending' || d.state === 'waiting-to-retry') return true;
  return canCommit && d.state === 'sent' && d.commitRequested;
}
