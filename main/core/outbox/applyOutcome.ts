/**
 * The state machine of one delivery: pure functions from (delivery, what happened, now) to the
 * next delivery. Everything the outbox persists goes through here.
 */
import { cancelledDuringSend, type Delivery } from './jobTypes';
import { commitAskAgainMs, COMMIT_PATIENCE_MS, type RetryPolicy } from './retryPolicy';
import type { CommitOutcome, SendOutcome } from './senderTypes';

export interface Moment {
  readonly now: number;
  /** When the destination may be tried again, if this outcome was a retry. */
  readonly retryAt?: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function afterSend(
  delivery: Delivery,
  outcome: SendOutcome,
  moment: Moment,
  policy: RetryPolicy,
): Delivery {
  // Cancelled by a person while in flight: only a send that stored it overrules that.
  if (delivery.cancelRequested && outcome.kind !== 'stored') return cancelledDuringSend(delivery);
  const base: Delivery = { ...delivery, nextAttemptAt: undefined, cancelRequested: undefined };
  switch (outcome.kind) {
    case 'not-attempted':
      return { ...delivery, state: delivery.state === 'sending' ? 'queued' : delivery.state };
    case 'stored':
      return {
        ...base,
        attempts: delivery.attempts + 1,
        state: outcome.committed ? 'committed' : 'sent',
        sentAt: iso(moment.now),
        committedAt: outcome.committed ? iso(moment.now) : undefined,
        failingSince: undefined,
        lastProblem: undefined,
        commitRequested: outcome.committed ? false : delivery.commitRequested,
      };
    case 'refused':
      return needsAttention(base, outcome.message, outcome.status, moment.now, 1);
    case 'retry':
      return afterTransientFailure(base, outcome.message, outcome.status, moment, policy);
  }
}

function afterTransientFailure(
  delivery: Delivery,
  message: string,
  status: number | undefined,
  moment: Moment,
  policy: RetryPolicy,
): Delivery {
  const attempts = delivery.attempts + 1;
  if (attempts >= policy.maxAttempts) {
    const text = `gave up after ${attempts} attempts: ${message}`;
    return needsAttention(delivery, text, status, moment.now, 1);
  }
  return {
    ...delivery,
    attempts,
    state: 'waiting-to-retry',
    nextAttemptAt: iso(moment.retryAt ?? moment.now),
    failingSince: delivery.failingSince ?? iso(moment.now),
    lastProblem: { message, status, at: iso(moment.now) },
  };
}

function needsAttention(
  delivery: Delivery,
  message: string,
  status: number | undefined,
  now: number,
  addedAttempts: number,
): Delivery {
  return {
    ...delivery,
    attempts: delivery.attempts + addedAttempts,
    state: 'needs-attention',
    nextAttemptAt: undefined,
    failingSince: delivery.failingSince ?? iso(now),
    lastProblem: { message, status, at: iso(now) },
  };
}

/**
 * PS3.4 J.3.3: the N-EVENT-REPORT said committed, or listed the instance as failed (so does a
 * refused N-ACTION, J.3.2, with its status). No answer yet (association failed, no report in time):
 * stay 'sent' and ask again as commitAskAgainMs says, counted from `now`, the end of the wait;
 * once that gives up, needs-attention (the archive has the instance, it never confirmed it).
 */
export function afterCommit(
  delivery: Delivery,
  outcome: CommitOutcome,
  now: number,
  policy: RetryPolicy,
): Delivery {
  if (outcome.kind === 'committed') {
    return { ...delivery, state: 'committed', committedAt: iso(now), lastProblem: undefined };
  }
  if (outcome.kind === 'failed') {
    const { message, status } = outcome;
    // The status in hex, as for a refused C-STORE, unless the words are only the code already.
    const code = status === undefined ? undefined : `0x${status.toString(16).padStart(4, '0')}`;
    const reason = code && !message.includes(code) ? `${message} (status ${code})` : message;
    return needsAttention(delivery, `storage commitment failed: ${reason}`, status, now, 0);
  }
  const sentAt = delivery.sentAt ? Date.parse(delivery.sentAt) : now;
  const askAgainMs = commitAskAgainMs(now - sentAt, policy);
  if (askAgainMs === undefined) {
    const hours = COMMIT_PATIENCE_MS / 3_600_000;
    const text = `the archive has not confirmed storage commitment in ${hours} h`;
    return needsAttention(delivery, `${text} (last: ${outcome.message})`, undefined, now, 0);
  }
  return {
    ...delivery,
    nextAttemptAt: iso(now + askAgainMs),
    lastProblem: { message: outcome.message, at: iso(now) },
  };
}
