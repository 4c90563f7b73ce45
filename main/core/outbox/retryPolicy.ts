/** When to try again, and when to stop trying and ask a person. */

export interface RetryPolicy {
  /** First delay after a failure (default 2 s). */
  readonly baseDelayMs: number;
  /** Longest delay between attempts (default 5 min). */
  readonly maxDelayMs: number;
  /**
   * Attempts for one item before it goes to needs-attention (default 200: with the defaults that
   * is more than 16 hours of an unreachable peer). Never deleted either way.
   */
  readonly maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 2_000,
  maxDelayMs: 5 * 60_000,
  maxAttempts: 200,
};

/**
 * Exponential back-off with jitter: the n-th consecutive failure (n ≥ 1) waits between half and all
 * of min(max, base·2^(n-1)), so stations that lost the same PACS do not all come back at once.
 */
export function retryDelayMs(failures: number, policy: RetryPolicy, random: () => number): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * How long storage commitment (PS3.4 J) is asked for while the archive has not reported. Many
 * archives send the N-EVENT-REPORT only once the instance is archived, minutes or hours after it
 * was stored (J.3.3 lets it come later, on another association; a late one is still taken, see
 * commitStorage). After this long since it was sent the item goes to needs-attention: it is
 * delivered, but a person should know the archive never confirmed it.
 */
export const COMMIT_PATIENCE_MS = 24 * 3_600_000;

/** The longest wait between two commitment requests for the same item. */
const COMMIT_MAX_INTERVAL_MS = 3_600_000;

/**
 * When to ask again for the commitment of an item that has waited `waitedMs` since it was sent,
 * counted from the end of the last wait for a report: as long again as it has waited (so the
 * intervals double), at least 15 × baseDelayMs and at most an hour. Undefined: stop asking.
 */
export function commitAskAgainMs(waitedMs: number, policy: RetryPolicy): number | undefined {
  if (waitedMs >= COMMIT_PATIENCE_MS) return undefined;
  return Math.min(Math.max(waitedMs, policy.baseDelayMs * 15), COMMIT_MAX_INTERVAL_MS);
}
