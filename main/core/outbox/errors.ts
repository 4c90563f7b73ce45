/** Failures of the outbox a caller can act on; each message is a sentence for the operator. */

export class OutboxError extends Error {
  override readonly name: string = 'OutboxError';
}

/** The free-space guard refused a new capture before anything was written (issue 7, item 3). */
export class OutboxFullError extends OutboxError {
  override readonly name = 'OutboxFullError';
  constructor(
    readonly freeBytes: number,
    readonly neededBytes: number,
  ) {
    super(
      `not enough free disk space to keep this capture safely: ${megabytes(freeBytes)} free, ` +
        `${megabytes(neededBytes)} needed. Nothing was saved; free space (or let the outbox ` +
        `finish sending) and capture again.`,
    );
  }
}

/** A destination name that is not configured. */
export class UnknownDestinationError extends OutboxError {
  override readonly name = 'UnknownDestinationError';
}

/** Another process holds the spool for sending (see spoolLock.ts). */
export class SpoolLockedError extends OutboxError {
  override readonly name = 'SpoolLockedError';
  constructor(readonly pid: number) {
    super(`the outbox is being sent by another process (PID ${pid}); it will go on sending`);
  }
}

const megabytes = (bytes: number) => `${Math.max(0, Math.round(bytes / 1_048_576))} MB`;
