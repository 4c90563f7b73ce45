import { describe, expect, it } from 'vitest';
import {
  PROGRESS_EVERY_MS,
  progressReporter,
  type ProgressReport,
} from '../../../main/core/capture/progressEstimate';

describe('progressReporter (video conversion progress bar)', () => {
  it('estimates the time left from the rate so far, and says nothing too early', () => {
    let clock = 0;
    const reports: ProgressReport[] = [];
    const onProgress = progressReporter(
      (r) => reports.push(r),
      () => clock,
    );
    onProgress(0.01);
    clock = 10_000;
    onProgress(0.25); // 10 s for a quarter: 30 s to go
    clock = 20_000;
    onProgress(1);
    expect(reports).toEqual([
      { fraction: 0.01 },
      { fraction: 0.25, secondsLeft: 30 },
      { fraction: 1, secondsLeft: 0 },
    ]);
  });

  it('reports at most every PROGRESS_EVERY_MS, but always the end, clamped to 0…1', () => {
    let clock = 0;
    const reports: ProgressReport[] = [];
    const onProgress = progressReporter(
      (r) => reports.push(r),
      () => clock,
    );
    onProgress(0.1);
    clock = PROGRESS_EVERY_MS - 1;
    onProgress(0.2); // too soon
    clock = PROGRESS_EVERY_MS;
    onProgress(0.3);
    onProgress(1.5); // the end always passes
    expect(reports.map((r) => r.fraction)).toEqual([0.1, 0.3, 1]);
  });
});
