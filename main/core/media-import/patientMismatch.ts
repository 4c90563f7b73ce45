/**
 * The wrong-patient check of import reconciliation: the outside patient on the disc and the chosen
 * local patient should be the same person even though their IDs differ. A different family name
 * or birth date (when both sides have one) is shown side by side and must be confirmed; about one
 * disc in a thousand belongs to someone else.
 */
import type { PatientGroup } from './groupInstances';
import type { LocalPatient } from './coerceInstance';

export interface Mismatch {
  readonly attribute: 'family name' | 'birth date' | 'sex';
  readonly outside: string;
  readonly local: string;
}

/** Family name: the first PN component (PS3.5 6.2.1.1), compared without case, spaces or accents. */
function familyName(name: string): string {
  return (name.split('^')[0] ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f\s]/g, '')
    .toLowerCase();
}

/** Differences that need a person's confirmation; empty when the two plausibly agree. */
export function patientMismatches(outside: PatientGroup, local: LocalPatient): Mismatch[] {
  const found: Mismatch[] = [];
  if (familyName(outside.name) !== familyName(local.name))
    found.push({ attribute: 'family name', outside: outside.name, local: local.name });
  if (outside.birthDate && local.birthDate && outside.birthDate !== local.birthDate)
    found.push({ attribute: 'birth date', outside: outside.birthDate, local: local.birthDate });
  if (outside.sex && local.sex && outside.sex !== local.sex)
    found.push({ attribute: 'sex', outside: outside.sex, local: local.sex });
  return found;
}

/** The chosen local patient disagrees with the disc's patient and nobody confirmed it. */
export class PatientMismatchError extends Error {
  override readonly name = 'PatientMismatchError';
  constructor(readonly mismatches: readonly Mismatch[]) {
    super(
      `the disc's patient differs from the local patient: ${mismatches
        .map((m) => `${m.attribute} "${m.outside}" on the disc vs "${m.local}" locally`)
        .join('; ')}; confirm to import anyway`,
    );
  }
}
