/**
 * What a C-STORE result means for the outbox: stored, try again later, or refused for good.
 * PS3.4 B.2.3 statuses; PS3.8 9.3.4 association rejection results.
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
import type { SendOutcome } from '../senderTypes';

/** Refusals a resend cannot fix: the data or the SOP class is wrong for this peer. */
export function isPermanentStoreStatus(status: number): boolean {
  if ((status & 0xff00) === 0xa900) return true; // data set does not match SOP class
  if ((status & 0xf000) === 0xc000) return true; // cannot understand
  // 0x0122 SOP class not supported, 0x0124 not authorised, 0x0211/0x0212 bad operation/argument
  return status === 0x0122 || status === 0x0124 || status === 0x0211 || status === 0x0212;
}

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
