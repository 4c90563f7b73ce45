import type { Patient } from '../../../../preload/contract';

export interface ManualPatientInput {
  readonly family: string;
  readonly given: string;
  readonly id: string;
  readonly idAgain: string;
  /** YYYY-MM-DD or empty. */
  readonly birthDate: string;
  readonly sex: '' | 'M' | 'F' | 'O';
}

export type ManualPatientErrors = Partial<
  Record<'family' | 'given' | 'id' | 'idAgain' | 'birthDate', string>
>;

/**
 * Characters a name field cannot hold: PS3.5 6.2 PN uses ^ between name components and = between
 * component groups, \ is the value delimiter (VM), and control characters are not allowed in PN.
 * Accepting them would silently turn 'Anne=Marie' into an ideographic group or 'Doe\Roe' into 'Doe'.
 */
// eslint-disable-next-line no-control-regex -- control characters are what this refuses
const NOT_IN_A_NAME = /[\^=\\\u0000-\u001f\u007f-\u009f]/;

/**
 * Validates a hand-typed patient (the last resort: a typo here puts images on the wrong
 * patient): family name and ID required, the ID typed twice and identical, a real birth date,
 * and names without the characters that would change their DICOM structure (NOT_IN_A_NAME), each
 * refused with its own field's message rather than altered.
 */
export function validateManualPatient(
  input: ManualPatientInput,
  messages: {
    family: string;
    familyCharacters: string;
    givenCharacters: string;
    id: string;
    idMismatch: string;
    birthDate: string;
  },
): { patient: Patient } | { errors: ManualPatientErrors } {
  const errors: ManualPatientErrors = {};
  const family = input.family.trim();
  const given = input.given.trim();
  const id = input.id.trim();
  if (!family) errors.family = messages.family;
  else if (NOT_IN_A_NAME.test(family)) errors.family = messages.familyCharacters;
  if (NOT_IN_A_NAME.test(given)) errors.given = messages.givenCharacters;
  if (!id) errors.id = messages.id;
  else if (id !== input.idAgain.trim()) errors.idAgain = messages.idMismatch;
  const birthDate = input.birthDate.trim();
  if (birthDate && !isRealDate(birthDate)) errors.birthDate = messages.birthDate;
  if (Object.keys(errors).length > 0) return { errors };
  return {
    patient: {
      name: { alphabetic: given ? `${family}^${given}` : family },
      id,
      ...(birthDate ? { birthDate: birthDate.replace(/-/g, '') } : {}),
      ...(input.sex ? { sex: input.sex } : {}),
    },
  };
}

function isRealDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getTime() <= Date.now()
  );
}
