import { describe, expect, it } from 'vitest';
import type { PatientGroup } from '../../../main/core/media-import/groupInstances';
import { patientMismatches } from '../../../main/core/media-import/patientMismatch';

const outside: PatientGroup = {
  key: '["id","OUT-1",""]',
  patientId: 'OUT-1',
  issuerOfPatientId: '',
  name: 'MÜLLER^OTTO',
  birthDate: '19700101',
  sex: 'M',
  seen: { names: ['MÜLLER^OTTO'], birthDates: ['19700101'], sexes: ['M'] },
  studies: [],
};

describe('patientMismatches', () => {
  it('accepts the same person spelt without accents or in another case', () => {
    expect(
      patientMismatches(outside, { patientId: 'L1', name: 'Muller^Otto', birthDate: '19700101' }),
    ).toEqual([]);
  });

  it('accepts a local patient with no birth date or sex on file', () => {
    expect(patientMismatches(outside, { patientId: 'L1', name: 'müller^o' })).toEqual([]);
  });

  it('lists every difference side by side', () => {
    expect(
      patientMismatches(outside, {
        patientId: 'L1',
        name: 'MEIER^OTTO',
        birthDate: '19700102',
        sex: 'F',
      }),
    ).toEqual([
      { attribute: 'family name', outside: 'MÜLLER^OTTO', local: 'MEIER^OTTO' },
      { attribute: 'birth date', outside: '19700101', local: '19700102' },
      { attribute: 'sex', outside: 'M', local: 'F' },
    ]);
  });

  it("asks about any instance that disagrees, not only the first one's values", () => {
    const merged: PatientGroup = {
      ...outside,
      seen: {
        names: ['MÜLLER^OTTO', 'ROE^RICHARD'],
        birthDates: ['19700101', '19400505'],
        sexes: ['M'],
      },
    };
    expect(
      patientMismatches(merged, { patientId: 'L1', name: 'Müller^Otto', birthDate: '19700101' }),
    ).toEqual([
      { attribute: 'family name', outside: 'ROE^RICHARD', local: 'Müller^Otto' },
      { attribute: 'birth date', outside: '19400505', local: '19700101' },
    ]);
  });
});
