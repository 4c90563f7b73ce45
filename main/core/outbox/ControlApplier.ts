/**
 * What a person's control does to job state, in the process that owns it (the sender, or any
 * outbox that is not a follower: see Outbox's module comment). A follower's requests
 * (controlRequests.ts) go through the very same code as this process's own controls, so an item
 * being sent is treated alike wherever the person pressed the button.
 */
import type { Logger } from '../log/Logger';
import type { ControlAction, ControlTarget, PendingControl } from './controlRequests';
import type { DestinationRuntime, Dispatcher } from './Dispatcher';
import { UnknownDestinationError } from './errors';
import type { JobBook } from './JobBook';
import type { JobStore } from './JobStore';
import type { Delivery } from './jobTypes';
import type { DestinationBinding } from './runtimeTypes';

export interface ControlEnv {
  readonly book: JobBook;
  readonly dispatcher: Dispatcher;
  readonly store: JobStore;
  readonly bindings: ReadonlyMap<string, DestinationBinding>;
  readonly logger?: Logger;
}

export class ControlApplier {
  constructor(private readonly env: ControlEnv) {}

  /** Applies one control; resolves once the change is on disk (UnknownDestinationError else). */
  async apply(action: ControlAction, target: ControlTarget): Promise<void> {
    const { destination, jobId } = target;
    if (action === 'pause' || action === 'resume') {
      const paused = action === 'pause';
      if (jobId === undefined) return this.setDestinationPaused(destination, paused);
      return this.changeItems(target, (d) => ({ ...d, paused }));
    }
    if (action === 'cancel') return this.changeItems(target, cancelled, { evenWhileSending: true });
    // retry: waiting items now, needs-attention items back to the queue.
    this.requireRuntime(destination).retryAt = 0;
    return this.changeItems(target, (d) => {
      if (d.state === 'waiting-to-retry' || d.state === 'needs-attention')
        return { ...d, state: 'queued', attempts: 0, nextAttemptAt: undefined };
      if (d.state === 'sent' && d.commitRequested) return { ...d, nextAttemptAt: undefined };
      return d;
    });
  }

  /**
   * Applies followers' requests in order, each exactly as apply(), and removes each. One naming a
   * job or destination no longer here is dropped with a log line. A failure to record one leaves
   * it and those after it on disk, in order, for the next rescan; never rejects.
   */
  async applyRequested(requested: readonly PendingControl[]): Promise<void> {
    const { logger, store } = this.env;
    for (const { id, request } of requested) {
      try {
        const gone = this.whyNotApplicable(request);
        if (gone) logger?.warn('outbox: control request dropped', { request: id, reason: gone });
        else {
          await this.apply(request.action, request);
          logger?.info('outbox: control request applied', { request: id, ...request });
        }
        await store.removeControl?.(id);
      } catch (error) {
        logger?.error('outbox: control request not applied; tried again later', {
          request: id,
          error,
        });
        return;
      }
    }
  }

  requireRuntime(destination: string): DestinationRuntime {
    const runtime = this.env.dispatcher.runtime.get(destination);
    if (!runtime) throw new UnknownDestinationError(unknownMessage(destination, this.env.bindings));
    return runtime;
  }

  private whyNotApplicable({ destination, jobId }: ControlTarget): string | undefined {
    if (!this.env.bindings.has(destination))
      return `destination "${destination}" is not configured`;
    if (jobId === undefined) return undefined;
    const job = this.env.book.jobs.get(jobId);
    if (!job) return `job ${jobId} is no longer in the outbox`;
    if (!job.deliveries[destination]) return `job ${jobId} is not for "${destination}"`;
    return undefined;
  }

  /**
   * An item being sent is left as it is (the batch's outcome decides, Dispatcher.record), unless
   * `evenWhileSending`: then `change` sees it too (cancel marks it, see cancelled).
   */
  private async changeItems(
    target: ControlTarget,
    change: (d: Delivery) => Delivery,
    { evenWhileSending = false } = {},
  ) {
    const { book, dispatcher } = this.env;
    this.requireRuntime(target.destination);
    const jobIds = target.jobId === undefined ? [...book.jobs.keys()] : [target.jobId];
    const changes = (d: Delivery) => evenWhileSending || d.state !== 'sending';
    await Promise.all(
      jobIds.map((jobId) =>
        book.update(jobId, target.destination, (d) => (changes(d) ? change(d) : d)),
      ),
    );
    dispatcher.pump();
  }

  private async setDestinationPaused(destination: string, paused: boolean): Promise<void> {
    const { book, dispatcher, store } = this.env;
    this.requireRuntime(destination).paused = paused;
    const names = [...dispatcher.runtime].filter(([, r]) => r.paused).map(([n]) => n);
    await store.savePausedDestinations?.(names);
    book.emit({ type: 'destination-changed', destination });
    dispatcher.pump();
  }
}

/**
 * Cancel: what is delivered stays delivered; an item being sent is marked, and the send decides
 * (afterSend: stored, it is sent; otherwise cancelled, not tried again); the rest is cancelled.
 */
function cancelled(d: Delivery): Delivery {
  if (d.state === 'sent' || d.state === 'committed' || d.state === 'cancelled') return d;
  if (d.state === 'sending') return { ...d, cancelRequested: true };
  return { ...d, state: 'cancelled', paused: false };
}

export function unknownMessage(
  name: string,
  bindings: ReadonlyMap<string, DestinationBinding>,
): string {
  const known = [...bindings.keys()].join(', ') || 'none configured';
  return `no destination "${name}" (known: ${known})`;
}
