import type { WorklistItem } from '../../../../preload/contract';
import { strings } from '../../i18n/strings';
import { lookUpPatientId } from './patientIdLookup';

/** A wristband scan selects a procedure, or says why a person must choose (and pre-fills search). */
export type ScanResult =
  | { readonly kind: 'select'; readonly item: WorklistItem }
  | { readonly kind: 'choose'; readonly notice: string; readonly search: string };

/**
 * What a scanned Patient ID selects on today's worklist: the procedure, when exactly one patient
 * has exactly this ID and that patient has one procedure today. Never the first of several — a
 * worklist server may match loosely, another issuer may use the same ID, and a patient with two
 * procedures today must have the right one chosen by a person.
 */
export function scanResult(patientId: string, items: readonly WorklistItem[]): ScanResult {
  const t = strings.scan;
  const found = lookUpPatientId(patientId, items);
  if (found.kind === 'refused') return { kind: 'choose', notice: t.unsafe(patientId), search: '' };
  if (found.kind === 'none')
    return { kind: 'choose', notice: t.notFound(patientId), search: patientId };
  if (found.kind === 'several')
    return {
      kind: 'choose',
      notice: t.severalPatients(patientId, found.items.length),
      search: patientId,
    };
  const procedures = items.filter((i) => i.patient.id === patientId);
  if (procedures.length > 1)
    return {
      kind: 'choose',
      notice: t.severalProcedures(patientId, procedures.length),
      search: patientId,
    };
  return { kind: 'select', item: found.item };
}
