import type { WorklistItem, WorklistQuery } from '../../../preload/contract';
import type { StationConfig } from '../config/schema';
import type { AssociationTimeouts } from '../dimse/associationTypes';
import {
  AssociationRejectedError,
  CancelledError,
  ConnectionError,
  DimseError,
  TimeoutError,
} from '../dimse/errors';
import { worklistSource, type DimsePeer } from '../dimse/peer';
import { queryWorklist } from '../dimse/worklist';
import type { WorklistQueryKeys } from '../dimse/worklistItem';
import { StationError } from '../rpc/dispatch';
import { matchesText, modalityFor, todayAsDicomDate, type WorklistSource } from './WorklistSource';

export type WorklistQueryFn = (
  peer: DimsePeer,
  keys: WorklistQueryKeys,
  options: { signal?: AbortSignal; timeouts?: Partial<AssociationTimeouts> },
) => Promise<WorklistItem[]>;

/** A nurse waits for this list: fail in seconds with a reason rather than hang (PS3.8 timers). */
const WORKLIST_TIMEOUTS: Partial<AssociationTimeouts> = {
  connectMs: 5_000,
  associationMs: 10_000,
  responseMs: 20_000,
};

/**
 * The configured Modality Worklist SCP (PS3.4 K) as the station's worklist: the date (today by
 * default), modality and Scheduled Station AE Title (the station's own by default) are matched
 * by the server; free text is matched here on name, ID and accession. Every failure becomes a
 * StationError saying which server did what, and what to do about it.
 */
export function createDimseWorklist(
  config: StationConfig,
  query: WorklistQueryFn = queryWorklist,
): WorklistSource {
  const peer = worklistSource(config);
  if (!peer) throw new Error('createDimseWorklist needs a "worklist" block in the configuration');
  const server = `worklist server ${peer.calledAeTitle} (${peer.host}:${peer.port})`;
  return {
    label: peer.calledAeTitle,
    demo: false,
    async query(request: WorklistQuery, signal?: AbortSignal) {
      const keys = queryKeys(
        request,
        config.station.aeTitle,
        modalityFor(request.modality, config.station.department),
      );
      try {
        const items = await query(peer, keys, { signal, timeouts: WORKLIST_TIMEOUTS });
        return items.filter((item) => matchesText(item, request.text));
      } catch (error) {
        throw new StationError(describeFailure(server, peer.callingAeTitle, error), 'unavailable');
      }
    },
  };
}

function queryKeys(
  request: WorklistQuery,
  ownAeTitle: string,
  modality: string | undefined,
): WorklistQueryKeys {
  const station = request.stationAeTitle === undefined ? ownAeTitle : request.stationAeTitle;
  return {
    date: request.date ?? todayAsDicomDate(),
    ...(modality ? { modality } : {}),
    ...(station ? { stationAeTitle: station } : {}),
    ...(request.patientId ? { patientId: request.patientId } : {}),
  };
}

/** One sentence a nurse can act on or read to IT over the phone. */
export function describeFailure(server: string, callingAeTitle: string, error: unknown): string {
  if (error instanceof AssociationRejectedError) {
    const hint =
      error.reason === 3
        ? `: calling AE title ${callingAeTitle} is not known to it; ask IT to register this station`
        : error.reason === 7
          ? ': it does not answer to that AE title; check "calledAeTitle" in the configuration'
          : '';
    return `${server} refused the association (${error.reasonText})${hint}`;
  }
  if (error instanceof TimeoutError)
    return `${server} did not answer in time (${error.message}); check the network or try again`;
  if (error instanceof ConnectionError)
    return `${server} cannot be reached (${error.message}); check that it is running and the network cable is in`;
  if (error instanceof CancelledError) return `worklist query cancelled`;
  if (error instanceof DimseError) return `${server}: ${error.message}`;
  return `${server}: ${error instanceof Error ? error.message : String(error)}`;
}
