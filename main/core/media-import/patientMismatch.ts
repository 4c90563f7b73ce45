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

/**
 * Differences that need a person's confirmation; empty when the two plausibly agree. Every value
 * the outside patient's instances carry is weighed, not only the first instance's: one differing
 * instance is enough to ask.
 */
export function patientMismatches(outside: PatientGroup, local: LocalPatient): Mismatch[] {
  const found: Mismatch[] = [];
  for (const name of outside.seen.names)
    if (familyName(name) !== familyName(local.name))
      found.push({ attribute: 'family name', outside: name, local: local.name });
  for (const birthDate of outside.seen.birthDates)
    if (birthDate && local.birthDate && birthDate !== local.birthDate)
      found.push({ attribute: 'birth date', outside: birthDate, local: local.birthDate });
  for (const sex of outside.seen.sexes)
    if (sex && local.sex && sex !== local.sex)
      found.push({ attribute: 'sex', outside: sex, local: local.sex });
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
