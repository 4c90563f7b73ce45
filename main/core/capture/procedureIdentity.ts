import { createHash } from 'node:crypto';
import type { WorklistItem } from '../../../preload/contract';
import { StationError } from '../rpc/dispatch';

/**
 * Who and which procedure a worklist item is about, as the station tells items apart.
 *
 * Study Instance UID is a Type 1 return key of the Modality Worklist (PS3.4 Table K.6-1,
 * Requested Procedure), and IHE Scheduled Workflow (RAD-5) has the modality use it, so every
 * image of the procedure lands in the study the RIS ordered. Some RIS leave it empty anyway. The
 * station then does not refuse the procedure (the nurse must still be able to work) but derives
 * one UID from what identifies the procedure — Patient ID and its issuer, Accession Number,
 * Requested Procedure ID, Scheduled Procedure Step ID — as a name-based UUID (ISO/IEC 9834-8,
 * version 5) under `2.25` (PS3.5 B.2). The same item therefore gets the same UID at every query,
 * every capture and after a restart (review records keep the item, not a UID map), on any
 * station, and two patients never share one. With none of accession, requested procedure or
 * step ID there is nothing to keep a procedure's images together by: such an item is refused at
 * the shutter with the reason (requireStudyUid), and the operator can capture it as unscheduled.
 */
export type ProcedureFields = Pick<
  WorklistItem,
  'studyInstanceUid' | 'accessionNumber' | 'requestedProcedureId' | 'scheduledStepId'
> & { readonly patient: Pick<WorklistItem['patient'], 'id' | 'issuer'> };

/** Fixed namespace of the derived UIDs (random, chosen once; never change it). */
const NAMESPACE = Buffer.from('6f1c2a4e8b7d4c1fa3e95b0d27c6f814', 'hex');

/** The worklist's Study Instance UID, else the derived one, else undefined (see above). */
export function studyUidFor(item: ProcedureFields): string | undefined {
  if (item.studyInstanceUid) return item.studyInstanceUid;
  const procedure = [item.accessionNumber, item.requestedProcedureId, item.scheduledStepId];
  if (!item.patient.id || !procedure.some((value) => value)) return undefined;
  const name = JSON.stringify([item.patient.id, item.patient.issuer ?? '', ...procedure]);
  const hash = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest();
  const uuid = hash.subarray(0, 16);
  uuid[6] = ((uuid[6] ?? 0) & 0x0f) | 0x50; // version 5: name-based, SHA-1
  uuid[8] = ((uuid[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
  return `2.25.${BigInt(`0x${uuid.toString('hex')}`).toString(10)}`;
}

/**
 * studyUidFor, or a StationError the operator can act on. Called at the shutter (so a capture
 * that could not be sent is never taken) and again when wrapping.
 */
export function requireStudyUid(item: ProcedureFields): string {
  const uid = studyUidFor(item);
  if (uid) return uid;
  throw new StationError(
    'the worklist gave no Study Instance UID for this procedure, nor an accession number, ' +
      'requested procedure ID or step ID to keep its images together: ask the RIS team, or ' +
      'capture as unscheduled',
  );
}

/**
 * The UI's key of an item (the renderer tells items and their captures apart by it): patient ID
 * and issuer, study, requested procedure and step, so two patients' items never share a key even
 * when the RIS sends neither a Study Instance UID nor distinct step IDs.
 */
export function worklistItemKey(item: ProcedureFields): string {
  return JSON.stringify([
    item.patient.issuer ?? '',
    item.patient.id,
    item.studyInstanceUid,
    item.accessionNumber,
    item.requestedProcedureId ?? '',
    item.scheduledStepId ?? '',
  ]);
}
