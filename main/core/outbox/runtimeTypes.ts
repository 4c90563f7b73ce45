/** Injected time and timers, so tests drive the outbox without waiting. */
import type { Logger } from '../log/Logger';
import type { JobStore } from './JobStore';
import type { RetryPolicy } from './retryPolicy';
import type { Sender } from './senderTypes';

export interface Clock {
  now(): number;
}

export interface Timers {
  /**
   * `keepAlive`: the timer holds the process open (a batch about to be sent); by default timers
   * do not (a retry hours away must not keep `queue add` from exiting).
   */
  setTimeout(callback: () => void, ms: number, options?: { keepAlive?: boolean }): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = { now: () => Date.now() };
export const systemTimers: Timers = {
  setTimeout: (callback, ms, options) => {
    const handle = setTimeout(callback, ms);
    if (!options?.keepAlive) handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface DestinationBinding {
  readonly name: string;
  readonly sender: Sender;
  /** Ask this destination for storage commitment after sending (config `commit`). */
  readonly commitRequested: boolean;
  /** The built-in DEMO folder destination (issue 2, item 5). */
  readonly demo: boolean;
}

/** Which destinations an instance goes to when the caller does not say (routing per department). */
export type Router = (instance: { sopClassUid: string }) => readonly string[];

export interface OutboxDeps {
  readonly store: JobStore;
  readonly destinations: readonly DestinationBinding[];
  readonly route: Router;
  readonly clock?: Clock;
  readonly timers?: Timers;
  readonly random?: () => number;
  readonly logger?: Logger;
  readonly policy?: Partial<RetryPolicy>;
  /** Enqueue refuses when fewer bytes than this would remain free after the copy (default 1 GiB). */
  readonly minFreeBytes?: number;
  /** Days a finished job's spooled copy is kept (default 7; 0: removed at once). */
  readonly retentionDays?: number;
  /** How often a sending outbox looks for jobs other processes added (default 2 s). */
  readonly rescanMs?: number;
  /**
   * How long a small batch may wait for more items before it is sent (default 0: at once).
   * See Dispatcher.lingerUntil for why; createOutbox sets it for the station.
   */
  readonly batchLingerMs?: number;
  /** Formats "since" times in the status text (default: local HH:MM). */
  readonly formatTime?: (ms: number) => string;
  /**
   * False when another process sends from this spool: start() then only follows the spool on
   * disk (for status) and never sends. Default true.
   */
  readonly maySend?: boolean;
  /** Called once by stop(), e.g. to release the spool lock taken for this outbox. */
  readonly onStop?: () => Promise<void>;
}
