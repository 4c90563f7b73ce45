import type { WorklistItem } from '../../../../preload/contract';

/** `*` and `?` are wildcards in a C-FIND key, `\` separates values (PS3.4 C.2.2.2.4, PS3.5 6.2). */
const WILDCARD = /[*?\\]/;

export type IdLookup =
  | { readonly kind: 'refused' }
  | { readonly kind: 'none' }
  | { readonly kind: 'one'; readonly item: WorklistItem }
  /** Different patients with exactly this ID (e.g. of several issuers): a person must choose. */
  | { readonly kind: 'several'; readonly items: readonly WorklistItem[] };

/** A Patient ID that could match other patients' IDs in a worklist query. */
export function isUnsafePatientId(id: string): boolean {
  return WILDCARD.test(id);
}

const patientKey = (item: WorklistItem) =>
  JSON.stringify([
    item.patient.id,
    item.patient.issuer ?? '',
    item.patient.name,
    item.patient.birthDate ?? '',
    item.patient.sex ?? '',
  ]);

/**
 * What a wristband scan or typed ID found: only items whose Patient ID equals the ID exactly
 * count (a worklist server may match loosely); one item per patient, the first order of each.
 * Several different patients (another issuer, or the same ID with another name) are returned all,
 * never the first one silently.
 */
export function lookUpPatientId(typed: string, items: readonly WorklistItem[]): IdLookup {
  if (isUnsafePatientId(typed)) return { kind: 'refused' };
  const patients = new Map<string, WorklistItem>();
  for (const item of items)
    if (item.patient.id === typed && !patients.has(patientKey(item)))
      patients.set(patientKey(item), item);
  const found = [...patients.values()];
  const [first] = found;
  if (!first) return { kind: 'none' };
  return found.length === 1 ? { kind: 'one', item: first } : { kind: 'several', items: found };
}
