import { describe, expect, it } from 'vitest';
import { mapBounded } from '../../../main/core/media-import/mapBounded';

describe('mapBounded', () => {
  it('keeps the items order whatever order the calls finish in, never above the bound', async () => {
    let pending = 0;
    let most = 0;
    const delays = [30, 5, 20, 1, 15, 2, 25, 3];
    const results = await mapBounded(delays, 3, async (ms, i) => {
      most = Math.max(most, ++pending);
      await new Promise((resolve) => setTimeout(resolve, ms));
      pending--;
      return `${i}:${ms}`;
    });
    expect(results).toEqual(delays.map((ms, i) => `${i}:${ms}`));
    expect(most).toBe(3);
  });

  it('gives [] for no items and rejects with the first failure', async () => {
    expect(await mapBounded([], 4, () => Promise.resolve(1))).toEqual([]);
    const failing = mapBounded([1, 2, 3], 2, (n) =>
      n === 2 ? Promise.reject(new Error('item 2 failed')) : Promise.resolve(n),
    );
    await expect(failing).rejects.toThrow('item 2 failed');
  });
});
