/**
 * The wrong-patient check of import reconciliation: the outside patient on the disc and the chosen
 * local patient should be the same person even though their IDs differ. A different family name,
 * given name or birth date (each when both sides have one) is shown side by side and must be
 * confirmed; about one disc in a thousand belongs to someone else, and twins share a family name
 * and a birth date, so the given name is weighed too.
 *
 * Names are compared component group by component group (PS3.5 6.2.1.1: alphabetic=ideographic=
 * phonetic), in the first group both sides have, so "Yamada^Taro=山田^太郎" is not read as the
 * given name "Taro=山田".
 */
import type { PatientGroup } from './groupInstances';
import type { LocalPatient } from './coerceInstance';

export interface Mismatch {
  readonly attribute: 'family name' | 'given name' | 'birth date' | 'sex';
  readonly outside: string;
  readonly local: string;
}

/** Without case, spaces or accents: "Müller" and "MULLER" agree. */
function normalised(component: string): string {
  return component
    .normalize('NFD')
    .replace(/[\u0300-\u036f\s]/g, '')
    .toLowerCase();
}

interface NameParts {
  readonly family: string;
  readonly given: string;
}

function partsOf(group: string): NameParts {
  const [family = '', given = ''] = group.split('^');
  return { family: normalised(family), given: normalised(given) };
}

/**
 * The two names' component groups to compare: the first group (alphabetic, ideographic,
 * phonetic) that both sides fill, else the alphabetic groups, so an empty name still differs.
 */
function comparableParts(outside: string, local: string): [NameParts, NameParts] {
  const a = outside.split('=');
  const b = local.split('=');
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x.replace(/\^/g, '') && y.replace(/\^/g, '')) return [partsOf(x), partsOf(y)];
  }
  return [partsOf(a[0] ?? ''), partsOf(b[0] ?? '')];
}

/** "J", "J." and "JOHN" agree (one is the other's initial); "JOHN" and "JAMES" do not. */
function givenNamesAgree(a: string, b: string): boolean {
  const x = a.replace(/\.$/, '');
  const y = b.replace(/\.$/, '');
  if (x === y) return true;
  if ([...x].length === 1) return y.startsWith(x);
  if ([...y].length === 1) return x.startsWith(y);
  return false;
}

/** Which part of the name differs, if any: the family name first, then the given name. */
function nameDifference(outside: string, local: string): Mismatch['attribute'] | undefined {
  const [a, b] = comparableParts(outside, local);
  if (a.family !== b.family) return 'family name';
  // A given name missing on either side is no difference: many discs carry the family name only.
  if (a.given && b.given && !givenNamesAgree(a.given, b.given)) return 'given name';
  return undefined;
}

/**
 * Differences that need a person's confirmation; empty when the two plausibly agree. Every value
 * the outside patient's instances carry is weighed, not only the first instance's: one differing
 * instance is enough to ask. A name gives at most one difference (family name, else given name),
 * with the whole names as the values shown side by side.
 */
export function patientMismatches(outside: PatientGroup, local: LocalPatient): Mismatch[] {
  const found: Mismatch[] = [];
  for (const name of outside.seen.names) {
    const attribute = nameDifference(name, local.name);
    if (attribute) found.push({ attribute, outside: name, local: local.name });
  }
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
