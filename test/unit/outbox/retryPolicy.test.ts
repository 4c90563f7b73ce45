import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../../main/core/outbox/retryPolicy';

const policy = { baseDelayMs: 1_000, maxDelayMs: 30_000, maxAttempts: 10 };

describe('retryDelayMs', () => {
  it('doubles per failure, capped, with jitter between half and all of the step', () => {
    expect([1, 2, 3, 4, 5, 6, 9].map((n) => retryDelayMs(n, policy, () => 1))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000,
    ]);
    expect(retryDelayMs(3, policy, () => 0)).toBe(2_000);
    expect(retryDelayMs(3, policy, () => 0.5)).toBe(3_000);
  });
});
