/**
 * One storage commitment round trip: open an association offering the SCP role, N-ACTION, then
 * take the N-EVENT-REPORT from whichever path the archive uses — the same association or a new
 * one to the station's SCP — within the timeout.
 */
import { newUid } from '../dicom/uids';
import type { Association } from './Association';
import type { AssociationTimeouts } from './associationTypes';
import { openAssociation } from './openAssociation';
import type { DimsePeer } from './peer';
import type { StationScp } from './StationScp';
import {
  acknowledgeCommitmentReport,
  COMMITMENT_CONTEXT,
  COMMITMENT_ROLES,
  isCommitmentReport,
  requestCommitment,
  type CommitmentReport,
  type InstanceReference,
} from './storageCommitment';

export interface CommitStorageOptions {
  readonly peer: DimsePeer;
  readonly references: readonly InstanceReference[];
  /** Listener for reports on new associations; without it only the same association is watched. */
  readonly scp?: StationScp;
  /** How long to wait for the report after N-ACTION-RSP (default 60 s). */
  readonly reportTimeoutMs?: number;
  readonly timeouts?: Partial<AssociationTimeouts>;
}

/**
 * Resolves with the report (per-instance committed / failure reason). Rejects with
 * TimeoutError('response') when no report comes in time, DimseStatusError when the N-ACTION is
 * refused, or the association's typed errors.
 */
export async function commitStorage(options: CommitStorageOptions): Promise<CommitmentReport> {
  const transactionUid = newUid();
  const timeoutMs = options.reportTimeoutMs ?? 60_000;
  const association = await openAssociation({
    ...options.peer,
    presentationContexts: [COMMITMENT_CONTEXT],
    roleSelections: COMMITMENT_ROLES,
    timeouts: options.timeouts,
  });
  // Register before asking: the archive may report before its N-ACTION-RSP is read.
  const viaScp = options.scp?.waitForReport(transactionUid, timeoutMs);
  viaScp?.catch(() => undefined);
  try {
    await requestCommitment(association, transactionUid, options.references);
    const viaSameAssociation = reportOnAssociation(
      association,
      transactionUid,
      timeoutMs,
      options.scp,
    );
    return await Promise.race(viaScp ? [viaScp, viaSameAssociation] : [viaSameAssociation]);
  } finally {
    await association.release();
  }
}

/**
 * Waits for the report on the N-ACTION association. With an SCP also listening, a failure here
 * (the archive closing this association) is not the answer: the promise then never settles and
 * the SCP path decides.
 */
async function reportOnAssociation(
  association: Association,
  transactionUid: string,
  timeoutMs: number,
  scp: StationScp | undefined,
): Promise<CommitmentReport> {
  try {
    for (;;) {
      const message = await association.receive(timeoutMs);
      if (!isCommitmentReport(message)) continue;
      const report = await acknowledgeCommitmentReport(association, message);
      if (report.transactionUid === transactionUid) return report;
      scp?.deliver(report);
    }
  } catch (error) {
    if (scp) return new Promise<CommitmentReport>(() => undefined);
    throw error;
  }
}
