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
