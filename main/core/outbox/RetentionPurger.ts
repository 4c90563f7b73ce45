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

export class RetentionPurger {
  private purging: Promise<void> | undefined;

  constructor(
    private readonly book: JobBook,
    private readonly retentionDays: number,
    private readonly clock: Clock,
    private readonly logger?: Logger,
  ) {}

  start(now: number): void {
    if (this.purging) return;
    this.purging = this.removeExpired(now).finally(() => {
      this.purging = undefined;
    });
  }

  /** Waits for a purge in progress, then runs one more: a removal half done is safe, but finish it. */
  async finish(now: number): Promise<void> {
    await this.purging;
    this.start(now);
    await this.purging;
  }

  private async removeExpired(now: number): Promise<void> {
    const keepMs = this.retentionDays * DAY_MS;
    const isExpired = (job: JobRecord) =>
      job.completedAt !== undefined && Date.parse(job.completedAt) + keepMs <= now;
    for (;;) {
      const expired = [...this.book.jobs.values()].filter(isExpired);
      if (expired.length === 0) return;
      if (!(await this.removeJobs(expired))) return;
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
