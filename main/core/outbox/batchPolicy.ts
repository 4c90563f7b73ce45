/**
 * How the Dispatcher shapes batches: how long a small one waits for company, and how storage
 * commitment is asked for the items a destination already has.
 */
import { afterCommit } from './applyOutcome';
import type { JobBook } from './JobBook';
import type { RetryPolicy } from './retryPolicy';
import type { Clock } from './runtimeTypes';
import type { CommitOutcome, SendItem, Sender } from './senderTypes';

/**
 * Items that trickle in (an import admits a group every few tens of ms) would otherwise each
 * start their own batch (bench/import: 500 instances went in 414 batches, mostly of one). So a
 * batch smaller than `max` waits up to `lingerMs`, counted from when the first of its items was
 * found ready (`lingerSince`, kept by the caller), for more to join; a full batch, or one found
 * while the previous batch was sending (lingerSince -Infinity: its items waited already), goes at
 * once. A linger costs a lone capture at most lingerMs of latency to the PACS, never its
 * durability (it is spooled before). Returns when the wait ends, or undefined: send now.
 */
export function lingerEnd(
  state: { lingerSince?: number },
  ready: number,
  max: number,
  now: number,
  lingerMs: number,
): number | undefined {
  if (ready >= max || lingerMs <= 0) {
    state.lingerSince = undefined;
    return undefined;
  }
  state.lingerSince ??= now;
  const ends = state.lingerSince + lingerMs;
  if (ends > now) return ends;
  state.lingerSince = undefined;
  return undefined;
}

/**
 * Asks `sender` for storage commitment (PS3.4 J) of items it already has and records each verdict.
 * The next question is scheduled from when this one's wait for the report ended (afterCommit): set
 * before asking, it would already be due when a long wait timed out, and be asked again at once.
 * An item the report does not mention counts as not answered. An item a person cancelled or sent
 * again meanwhile is left as it is.
 */
export async function askForCommitment(
  book: JobBook,
  destination: string,
  commit: NonNullable<Sender['commit']>,
  items: readonly SendItem[],
  clock: Clock,
  policy: RetryPolicy,
): Promise<void> {
  const outcomes = await commit([...items]);
  const at = clock.now();
  await Promise.all(
    items.map((item) => {
      const outcome = outcomes.get(item.sopInstanceUid) ?? NOT_IN_REPORT;
      return book.update(item.jobId, destination, (d) =>
        d.state === 'sent' ? afterCommit(d, outcome, at, policy) : d,
      );
    }),
  );
}

const NOT_IN_REPORT: CommitOutcome = {
  kind: 'retry',
  message: 'the storage commitment answer did not mention it',
};
