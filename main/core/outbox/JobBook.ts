/**
 * The jobs in memory, kept in step with the store: every change is applied here first (so status
 * is immediate), persisted through the store, and announced to subscribers.
 */
import type { JobStore } from './JobStore';
import { isJobFinished, type Delivery, type JobRecord } from './jobTypes';

export type OutboxEvent =
  | { readonly type: 'job-added'; readonly jobId: string }
  | {
      readonly type: 'delivery-changed';
      readonly jobId: string;
      readonly destination: string;
      readonly state: Delivery['state'];
    }
  | {
      readonly type: 'delivery-progress';
      readonly jobId: string;
      readonly destination: string;
      readonly bytesSent: number;
    }
  | { readonly type: 'job-removed'; readonly jobId: string }
  | { readonly type: 'destination-changed'; readonly destination: string };

export type OutboxListener = (event: OutboxEvent) => void;

export class JobBook {
  readonly jobs = new Map<string, JobRecord>();
  private readonly removed = new Set<string>();
  private readonly listeners = new Set<OutboxListener>();

  constructor(
    private readonly store: JobStore,
    private readonly now: () => number,
  ) {}

  subscribe(listener: OutboxListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: OutboxEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken listener (e.g. a closed window) must not stop the queue.
      }
    }
  }

  /** The job is in memory, or was removed by this process (adopt would skip it either way). */
  knows(jobId: string): boolean {
    return this.jobs.has(jobId) || this.removed.has(jobId);
  }

  /** Adds jobs found on disk that are not known yet (another process enqueued them). */
  adopt(jobs: readonly JobRecord[]): void {
    for (const job of jobs) {
      if (this.knows(job.id)) continue;
      this.jobs.set(job.id, job);
      this.emit({ type: 'job-added', jobId: job.id });
    }
  }

  /**
   * For a process that does not send: the disk is the truth, so take every job as read, and
   * forget the ones the sending process removed.
   */
  mirror(jobs: readonly JobRecord[]): void {
    const seen = new Set<string>();
    for (const job of jobs) {
      seen.add(job.id);
      const known = this.jobs.get(job.id);
      this.jobs.set(job.id, job);
      if (!known) this.emit({ type: 'job-added', jobId: job.id });
      else
        for (const [destination, delivery] of Object.entries(job.deliveries)) {
          if (known.deliveries[destination]?.state !== delivery.state)
            this.emit({
              type: 'delivery-changed',
              jobId: job.id,
              destination,
              state: delivery.state,
            });
        }
    }
    for (const id of [...this.jobs.keys()]) {
      if (seen.has(id)) continue;
      this.jobs.delete(id);
      this.emit({ type: 'job-removed', jobId: id });
    }
  }

  added(job: JobRecord): void {
    this.jobs.set(job.id, job);
    this.emit({ type: 'job-added', jobId: job.id });
  }

  /** In memory only: used for 'sending', which is never trusted after a restart anyway. */
  mark(jobId: string, destination: string, change: (d: Delivery) => Delivery): void {
    this.apply(jobId, destination, change);
  }

  /** Applies, persists and announces one delivery change; resolves once it is on disk. */
  async update(
    jobId: string,
    destination: string,
    change: (d: Delivery) => Delivery,
  ): Promise<void> {
    const job = this.apply(jobId, destination, change);
    if (job) await this.store.save(job);
  }

  private apply(
    jobId: string,
    destination: string,
    change: (d: Delivery) => Delivery,
  ): JobRecord | undefined {
    const job = this.jobs.get(jobId);
    const delivery = job?.deliveries[destination];
    if (!job || !delivery) return undefined;
    const next = change(delivery);
    let updated: JobRecord = { ...job, deliveries: { ...job.deliveries, [destination]: next } };
    const finished = isJobFinished(updated);
    if (finished && !updated.completedAt)
      updated = { ...updated, completedAt: new Date(this.now()).toISOString() };
    if (!finished && updated.completedAt) updated = { ...updated, completedAt: undefined };
    this.jobs.set(jobId, updated);
    if (next.state !== delivery.state || next.paused !== delivery.paused)
      this.emit({ type: 'delivery-changed', jobId, destination, state: next.state });
    return updated;
  }

  async remove(jobId: string): Promise<void> {
    this.removed.add(jobId);
    await this.store.remove(jobId);
    this.jobs.delete(jobId);
    this.emit({ type: 'job-removed', jobId });
  }
}
