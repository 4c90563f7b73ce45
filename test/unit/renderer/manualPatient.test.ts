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
});
