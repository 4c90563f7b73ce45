/**
 * What a C-STORE result means for the outbox: stored, try again later, or refused for good.
 * PS3.4 B.2.3 statuses (which failures are permanent: dimse/storeStatus.ts); PS3.8 9.3.4
 * association rejection results.
 */
import {
  AbortedError,
  AssociationRejectedError,
  CancelledError,
  ConnectionError,
  PresentationContextRejectedError,
  ProtocolError,
  TimeoutError,
} from '../../dimse/errors';
import { Part10Error } from '../../dimse/part10';
import type { SendFileResult } from '../../dimse/sendFiles';
import { isPermanentStoreStatus } from '../../dimse/storeStatus';
import type { SendOutcome } from '../senderTypes';

export function classifyDimseResult(result: SendFileResult): SendOutcome {
  if (result.stored) return { kind: 'stored', message: result.message };
  if (result.outcome === 'failure' && result.status !== undefined) {
    const status = result.status;
    const kind = isPermanentStoreStatus(status) ? 'refused' : 'retry';
    return { kind, message: `${result.message} (status 0x${hex(status)})`, status };
  }
  return classifyError(result.error, result.message);
}

/** Errors that say the peer is unreachable or unwell: the whole batch should wait. */
export function isPeerDown(error: Error | undefined): boolean {
  return (
    error instanceof ConnectionError ||
    error instanceof TimeoutError ||
    error instanceof AbortedError ||
    (error instanceof AssociationRejectedError && error.result !== 1)
  );
}

function classifyError(error: Error | undefined, message: string): SendOutcome {
  if (error instanceof CancelledError) return { kind: 'not-attempted' };
  // A permanent A-ASSOCIATE-RJ (e.g. called AE title not recognised) or a refused SOP class
  // will not change by itself: a person must fix the configuration.
  if (error instanceof AssociationRejectedError && error.result === 1)
    return { kind: 'refused', message };
  if (error instanceof PresentationContextRejectedError || error instanceof Part10Error)
    return { kind: 'refused', message };
  if (isPeerDown(error) || error instanceof ProtocolError) return { kind: 'retry', message };
  return { kind: 'retry', message };
}

const hex = (status: number) => status.toString(16).padStart(4, '0');
