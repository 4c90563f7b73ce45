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
  Record<'family' | 'id' | 'idAgain' | 'birthDate', string>
>;

/**
 * Validates a hand-typed patient (the last resort: a typo here puts images on the wrong
 * patient): family name and ID required, the ID typed twice and identical, a real birth date.
 */
export function validateManualPatient(
  input: ManualPatientInput,
  messages: { family: string; id: string; idMismatch: string; birthDate: string },
): { patient: Patient } | { errors: ManualPatientErrors } {
  const errors: ManualPatientErrors = {};
  const family = input.family.trim();
  const id = input.id.trim();
  if (!family || family.includes('^')) errors.family = messages.family;
  if (!id) errors.id = messages.id;
  else if (id !== input.idAgain.trim()) errors.idAgain = messages.idMismatch;
  const birthDate = input.birthDate.trim();
  if (birthDate && !isRealDate(birthDate)) errors.birthDate = messages.birthDate;
  if (Object.keys(errors).length > 0) return { errors };
  const given = input.given.trim();
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
