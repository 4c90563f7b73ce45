/**
 * One storage commitment round trip: open an association offering the SCP role, N-ACTION, then
 * take the N-EVENT-REPORT from whichever path the archive uses — the same association or a new
 * one to the station's SCP — within the timeout; or a report that came late for an earlier one.
 */
import { newUid } from '../dicom/uids';
import type { Association } from './Association';
import type { AssociationTimeouts } from './associationTypes';
import { DimseStatusError } from './errors';
import { openAssociation } from './openAssociation';
import type { DimsePeer } from './peer';
import type { StationScp } from './StationScp';
import {
  acknowledgeCommitmentReport,
  COMMITMENT_CONTEXT,
  COMMITMENT_ROLES,
  isCommitmentReport,
  refusalReport,
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
 * Resolves with the report (per-instance committed / failure reason): this request's, or one the
 * station's SCP kept for an earlier request of any of these instances to the same archive that
 * came after its caller stopped waiting. A refused N-ACTION resolves too, with every reference
 * failed and `refusedStatus` set. Rejects with TimeoutError('response') when no report comes in
 * time, or the association's typed errors.
 */
export async function commitStorage(options: CommitStorageOptions): Promise<CommitmentReport> {
  const { peer, references, scp } = options;
  const late = scp && (await claimLateReport(scp, peerKey(peer), references));
  if (late) return late;
  const transactionUid = newUid();
  const timeoutMs = options.reportTimeoutMs ?? 60_000;
  const association = await openAssociation({
    ...peer,
    presentationContexts: [COMMITMENT_CONTEXT],
    roleSelections: COMMITMENT_ROLES,
    timeouts: options.timeouts,
  });
  // Register before asking: the archive may report before its N-ACTION-RSP is read.
  const viaScp = scp?.waitForReport(transactionUid, timeoutMs);
  viaScp?.catch(() => undefined);
  try {
    try {
      await requestCommitment(association, transactionUid, references);
    } catch (error) {
      // No report follows a refusal (PS3.4 J.3.2); whether its status may clear, the caller says.
      if (error instanceof DimseStatusError)
        return refusalReport(transactionUid, references, error.status);
      throw error;
    }
    if (scp) remember(scp, transactionUid, peerKey(peer), references);
    const viaSameAssociation = reportOnAssociation(association, transactionUid, timeoutMs, scp);
    const report = await Promise.race(viaScp ? [viaScp, viaSameAssociation] : [viaSameAssociation]);
    if (scp) unanswered.get(scp)?.delete(transactionUid);
    return report;
  } finally {
    await association.release();
  }
}

/**
 * Requests whose report has not come yet, by the SCP that listens for it. PS3.4 J.3.3 lets the
 * archive send the N-EVENT-REPORT whenever it has decided (many do after archiving, minutes
 * later), on another association; the SCP keeps a report nobody waits for (StationScp.deliver) and
 * the next request for the same instances takes it by its Transaction UID.
 */
const unanswered = new WeakMap<StationScp, Map<string, UnansweredRequest>>();

interface UnansweredRequest {
  readonly peer: string;
  readonly instances: ReadonlySet<string>;
}

/** As many as the SCP keeps unclaimed reports: older requests are forgotten first. */
const UNANSWERED_LIMIT = 100;

const peerKey = (peer: DimsePeer) => `${peer.calledAeTitle}@${peer.host}:${peer.port}`;

function remember(
  scp: StationScp,
  transactionUid: string,
  peer: string,
  references: readonly InstanceReference[],
): void {
  const requests = unanswered.get(scp) ?? new Map<string, UnansweredRequest>();
  unanswered.set(scp, requests);
  const oldest = requests.keys().next();
  if (requests.size >= UNANSWERED_LIMIT && !oldest.done) requests.delete(oldest.value);
  requests.set(transactionUid, {
    peer,
    instances: new Set(references.map((r) => r.sopInstanceUid)),
  });
}

/** The report kept for an earlier request of any of `references` to `peer`, if one came late. */
async function claimLateReport(
  scp: StationScp,
  peer: string,
  references: readonly InstanceReference[],
): Promise<CommitmentReport | undefined> {
  const requests = unanswered.get(scp);
  for (const [transactionUid, request] of requests ?? []) {
    if (request.peer !== peer || !references.some((r) => request.instances.has(r.sopInstanceUid)))
      continue;
    // A kept report resolves at once; otherwise this times out at once.
    const report = await scp.waitForReport(transactionUid, 0).catch(() => undefined);
    if (report) {
      requests?.delete(transactionUid);
      return report;
    }
  }
  return undefined;
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
