/**
 * The outbox's persisted model: one job per spooled Part-10 file, with one delivery record per
 * destination. A job's record is stored as admitted (a job file, or an admission line of the
 * update journal) and every later change as a journal line, the newest winning (see JobStore).
 */
import { z } from 'zod';

/**
 * Delivery states of one instance to one destination (issue 7):
 * queued → sending → sent → committed, or waiting-to-retry, or needs-attention; cancelled by a person.
 * 'sending' is never trusted after a restart: it goes back to queued (a resend is allowed, a loss is not).
 */
export const DELIVERY_STATES = [
  'queued',
  'sending',
  'sent',
  'committed',
  'waiting-to-retry',
  'needs-attention',
  'cancelled',
] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

const IsoTime = z.string().min(1);

export const DeliveryProblem = z.object({
  message: z.string(),
  /** DIMSE status (PS3.7 C) or STOW failure reason (PS3.18 10.5.3) when the peer gave one. */
  status: z.number().int().optional(),
  at: IsoTime,
});
export type DeliveryProblem = z.infer<typeof DeliveryProblem>;

export const Delivery = z.object({
  state: z.enum(DELIVERY_STATES),
  attempts: z.number().int().min(0),
  /** Held by a person (pause per item): not sent until resumed. */
  paused: z.boolean(),
  /** The destination will be asked for storage commitment after 'sent' (PS3.4 J). */
  commitRequested: z.boolean(),
  nextAttemptAt: IsoTime.optional(),
  /** Start of the current run of failed attempts, for "unreachable since 10:42". */
  failingSince: IsoTime.optional(),
  lastProblem: DeliveryProblem.optional(),
  sentAt: IsoTime.optional(),
  committedAt: IsoTime.optional(),
  /**
   * A person cancelled it while it was being sent: the send in flight decides (afterSend) —
   * stored, it is sent (it cannot be unsent); anything else, it is cancelled, never tried again.
   */
  cancelRequested: z.literal(true).optional(),
});
export type Delivery = z.infer<typeof Delivery>;

export const JobRecord = z.object({
  version: z.literal(1),
  id: z.string().regex(/^[a-z0-9-]{8,64}$/),
  sopClassUid: z.string(),
  sopInstanceUid: z.string(),
  bytes: z.number().int().min(0),
  /**
   * The file's transfer syntax and where its data set starts, as read when it was admitted: a
   * sender need not open the file to read its meta group again (absent in older records).
   */
  transferSyntaxUid: z.string().optional(),
  dataSetOffset: z.number().int().min(0).optional(),
  enqueuedAt: IsoTime,
  /** The file's name before it was spooled, for the outbox view. */
  sourceName: z.string(),
  deliveries: z.record(z.string(), Delivery),
  /** Set when every delivery is finished; the spooled copy is kept for the retention period. */
  completedAt: IsoTime.optional(),
});
export type JobRecord = z.infer<typeof JobRecord>;

/** Finished for this destination: nothing more will be sent or asked. */
export function isDeliveryFinished(delivery: Delivery): boolean {
  if (delivery.state === 'committed' || delivery.state === 'cancelled') return true;
  return delivery.state === 'sent' && !delivery.commitRequested;
}

export function isJobFinished(job: JobRecord): boolean {
  return Object.values(job.deliveries).every(isDeliveryFinished);
}

export function newDelivery(commitRequested: boolean): Delivery {
  return { state: 'queued', attempts: 0, paused: false, commitRequested };
}

/** Not one attempt yet for any destination: an enqueue that may not have finished. */
export function isNeverTried(job: JobRecord): boolean {
  return Object.values(job.deliveries).every((d) => d.state === 'queued' && d.attempts === 0);
}

/**
 * 'sending' is never trusted after a restart: the peer may or may not have it, so send again —
 * unless a person cancelled it meanwhile: then it stays cancelled, saying the peer may have it.
 */
export function resetInterruptedSends(job: JobRecord, now: string): JobRecord {
  const deliveries = Object.fromEntries(
    Object.entries(job.deliveries).map(([name, d]) => [
      name,
      d.state === 'sending' ? reset(d, now) : d,
    ]),
  );
  return { ...job, deliveries };
}

function reset(delivery: Delivery, now: string): Delivery {
  if (!delivery.cancelRequested) return { ...delivery, state: 'queued' };
  const message =
    'cancelled while being sent; the station stopped before the archive answered, so it may have it';
  return cancelledDuringSend(delivery, { message, at: now });
}

/** A cancel requested during a send that did not store it: cancelled for good. */
export function cancelledDuringSend(delivery: Delivery, problem?: DeliveryProblem): Delivery {
  return {
    ...delivery,
    state: 'cancelled',
    paused: false,
    cancelRequested: undefined,
    nextAttemptAt: undefined,
    ...(problem ? { lastProblem: problem } : {}),
  };
}
