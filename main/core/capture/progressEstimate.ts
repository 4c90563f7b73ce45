/** How often a long conversion reports, at most: often enough for a bar, not a flood of events. */
export const PROGRESS_EVERY_MS = 250;

/** Below this much done, a time-left estimate is noise (start-up costs dominate); none is given. */
const MIN_FRACTION_FOR_ESTIMATE = 0.03;

export interface ProgressReport {
  readonly fraction: number;
  /** Seconds left at the rate so far; absent while too little is done to tell. */
  readonly secondsLeft?: number;
}

/**
 * Turns a stream of 0…1 fractions from a long step (a video remux or re-encode) into reports for
 * the screen: at most one per PROGRESS_EVERY_MS (the first and the last always pass), each with an
 * estimate of the time left at the average rate since the start.
 */
export function progressReporter(
  report: (progress: ProgressReport) => void,
  now: () => number = () => performance.now(),
): (fraction: number) => void {
  const started = now();
  let lastSent: number | undefined;
  return (raw) => {
    const fraction = Math.min(1, Math.max(0, raw));
    const at = now();
    const done = fraction >= 1;
    if (!done && lastSent !== undefined && at - lastSent < PROGRESS_EVERY_MS) return;
    lastSent = at;
    const elapsedSeconds = (at - started) / 1000;
    const estimate =
      !done && fraction >= MIN_FRACTION_FOR_ESTIMATE
        ? { secondsLeft: Math.round((elapsedSeconds * (1 - fraction)) / fraction) }
        : done
          ? { secondsLeft: 0 }
          : {};
    report({ fraction, ...estimate });
  };
}
