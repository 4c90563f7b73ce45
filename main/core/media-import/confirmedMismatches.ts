/**
 * A person's confirmation of a wrong-patient warning is tied to what they saw: the differences
 * checkReconciliation showed side by side (patientMismatch.ts). The import proceeds only if every
 * difference found at start is among them, so a local patient edited (or another patient chosen,
 * or the disc read again) after the confirmation is asked about again, not imported on an old yes.
 */
import type { MismatchShape } from '../../../preload/features/mediaImport';
import type { Mismatch } from './patientMismatch';

const same = (a: Mismatch | MismatchShape, b: Mismatch | MismatchShape): boolean =>
  a.attribute === b.attribute && a.outside === b.outside && a.local === b.local;

/** The differences in `found` that `confirmed` does not name (same attribute and both values). */
export function unconfirmedMismatches(
  found: readonly Mismatch[],
  confirmed: readonly MismatchShape[] | undefined,
): Mismatch[] {
  return found.filter((m) => !(confirmed ?? []).some((c) => same(c, m)));
}

/** The differences for a person, e.g. `family name "DOE^JANE" vs "ROE^JANE"`. */
export function describeMismatches(mismatches: readonly Mismatch[]): string {
  return mismatches.map((m) => `${m.attribute} "${m.outside}" vs "${m.local}"`).join('; ');
}
