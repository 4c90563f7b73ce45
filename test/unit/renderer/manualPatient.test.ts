import { describe, expect, it } from 'vitest';
import { validateManualPatient } from '../../../renderer/src/features/patient/manualPatient';
import { strings } from '../../../renderer/src/i18n/strings';

const base = {
  family: 'Doe',
  given: 'Jane',
  id: 'MRN1',
  idAgain: 'MRN1',
  birthDate: '1970-01-31',
  sex: 'F' as const,
};

describe('manual patient entry', () => {
  it('builds a DICOM patient from valid input', () => {
    expect(validateManualPatient(base, strings.unscheduled.errors)).toEqual({
      patient: { name: { alphabetic: 'Doe^Jane' }, id: 'MRN1', birthDate: '19700131', sex: 'F' },
    });
  });

  it('refuses IDs that differ, a missing family name and an impossible date', () => {
    const result = validateManualPatient(
      { ...base, family: ' ', idAgain: 'MRN7', birthDate: '1970-02-30' },
      strings.unscheduled.errors,
    );
    expect(result).toEqual({
      errors: {
        family: strings.unscheduled.errors.family,
        idAgain: strings.unscheduled.errors.idMismatch,
        birthDate: strings.unscheduled.errors.birthDate,
      },
    });
  });

  it("refuses ^ = \\ and control characters in each name field, with that field's message", () => {
    const errors = strings.unscheduled.errors;
    // 'Anne=Marie' would become an ideographic group, 'Doe\Roe' a second value, 'Mary^Ann' a
    // middle name: refused, never altered.
    for (const given of ['Anne=Marie', 'Mary^Ann', 'Anne\\Marie', 'Anne\tMarie', 'Anne\u0085'])
      expect(validateManualPatient({ ...base, given }, errors)).toEqual({
        errors: { given: errors.givenCharacters },
      });
    for (const family of ['Doe\\Roe', 'Doe^Roe', 'Doe=Roe', 'Doe\nRoe'])
      expect(validateManualPatient({ ...base, family }, errors)).toEqual({
        errors: { family: errors.familyCharacters },
      });
    expect(validateManualPatient({ ...base, family: 'Doe=X', given: 'A^B' }, errors)).toEqual({
      errors: { family: errors.familyCharacters, given: errors.givenCharacters },
    });
    // Spaces, hyphens, apostrophes and non-ASCII letters are names.
    expect(
      validateManualPatient({ ...base, family: "O'Neil-Müller", given: 'Anne Marie' }, errors),
    ).toMatchObject({ patient: { name: { alphabetic: "O'Neil-Müller^Anne Marie" } } });
  });
});
