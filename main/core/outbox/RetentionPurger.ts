/**
 * Removes finished jobs once their retention has passed (issue 7, item 3: the local copy is kept
 * until committed, then for N days). One purge at a time; a purge repeats until nothing expired
 * is left, and stops at the first failure (tried again at the next pump).
 */
import type { Logger } from '../log/Logger';
import type { JobBook } from './JobBook';
import type { JobRecord } from './jobTypes';
import type { Clock } from './runtimeTypes';

const DAY_MS = 86_400_000;
/** Longest a scan is skipped: a job adopted from another process is removed at most this late. */
const MAX_SCAN_GAP_MS = 60_000;

export class RetentionPurger {
  private purging: Promise<void> | undefined;
  /** No job can expire before this (see expiredAt), so a pump before it does not scan. */
  private nextScanAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly book: JobBook,
    private readonly retentionDays: number,
    private readonly clock: Clock,
    private readonly logger?: Logger,
  ) {}

  start(now: number): void {
    if (this.purging || now < this.nextScanAt) return;
    this.purging = this.removeExpired(now).finally(() => {
      this.purging = undefined;
    });
  }

  /** Waits for a purge in progress, then runs one more: a removal half done is safe, but finish it. */
  async finish(now: number): Promise<void> {
    await this.purging;
    this.nextScanAt = Number.NEGATIVE_INFINITY;
    this.start(now);
    await this.purging;
  }

  /**
   * Completion times parsed once per record version (records are replaced, never mutated): a
   * pump runs this scan after every enqueue and batch, and Date.parse on 2,000 finished jobs each
   * time cost ~0.7 s of main-thread CPU per 2,000-instance import (bench/import).
   */
  private readonly completedMs = new WeakMap<JobRecord, number>();

  private completedAtMs(job: JobRecord): number | undefined {
    if (job.completedAt === undefined) return undefined;
    let ms = this.completedMs.get(job);
    if (ms === undefined) {
      ms = Date.parse(job.completedAt);
      this.completedMs.set(job, ms);
    }
    return ms;
  }

  /**
   * The jobs expired at `now`, and when the next scan is due: the earliest expiry of those still
   * kept, and no later than `now + keep` (a job finishing after this scan expires after that).
   */
  private expiredAt(now: number): JobRecord[] {
    const keepMs = this.retentionDays * DAY_MS;
    const expired: JobRecord[] = [];
    let nextExpiry = now + Math.min(keepMs, MAX_SCAN_GAP_MS);
    for (const job of this.book.jobs.values()) {
      const completed = this.completedAtMs(job);
      if (completed === undefined) continue;
      if (completed + keepMs <= now) expired.push(job);
      else nextExpiry = Math.min(nextExpiry, completed + keepMs);
    }
    this.nextScanAt = nextExpiry;
    return expired;
  }

  private async removeExpired(now: number): Promise<void> {
    for (;;) {
      const expired = this.expiredAt(now);
      if (expired.length === 0) return;
      if (!(await this.removeJobs(expired))) {
        this.nextScanAt = Number.NEGATIVE_INFINITY; // tried again at the next pump
        return;
      }
      now = Math.max(now, this.clock.now());
    }
  }

  private async removeJobs(expired: readonly JobRecord[]): Promise<boolean> {
    for (const job of expired) {
      try {
        await this.book.remove(job.id);
      } catch (error) {
        this.logger?.error('outbox: could not remove a finished job', { jobId: job.id, error });
        return false;
      }
    }
    return true;
  }
}
