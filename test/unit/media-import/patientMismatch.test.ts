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

  describe('given name (second PN component, PS3.5 6.2.1.1)', () => {
    const smith = (given: string): PatientGroup => ({
      ...outside,
      name: `SMITH^${given}`,
      seen: { names: [`SMITH^${given}`], birthDates: ['19700101'], sexes: ['M'] },
    });
    const local = (name: string) => ({ patientId: 'L1', name, birthDate: '19700101', sex: 'M' });

    it('asks about twins: same family name and birth date, another given name', () => {
      expect(patientMismatches(smith('JOHN'), local('SMITH^JAMES'))).toEqual([
        { attribute: 'given name', outside: 'SMITH^JOHN', local: 'SMITH^JAMES' },
      ]);
    });

    it('accepts an initial, with or without its dot, for the whole given name', () => {
      expect(patientMismatches(smith('J'), local('SMITH^JOHN'))).toEqual([]);
      expect(patientMismatches(smith('J.'), local('Smith^John'))).toEqual([]);
      expect(patientMismatches(smith('JOHN'), local('SMITH^J.'))).toEqual([]);
      expect(patientMismatches(smith('K.'), local('SMITH^JOHN'))).toHaveLength(1);
    });

    it('ignores case, spaces and accents as for the family name', () => {
      expect(patientMismatches(smith('JOSE MARIA'), local('Smith^José María'))).toEqual([]);
    });

    it('says nothing when either side has no given name', () => {
      expect(patientMismatches(smith(''), local('SMITH^JOHN'))).toEqual([]);
      expect(patientMismatches(smith('JOHN'), local('SMITH'))).toEqual([]);
    });

    it('reports a differing family name once, not again as a given name', () => {
      expect(patientMismatches(smith('JOHN'), local('JONES^JAMES'))).toEqual([
        { attribute: 'family name', outside: 'SMITH^JOHN', local: 'JONES^JAMES' },
      ]);
    });

    it('compares within a component group: "Yamada^Taro=山田^太郎" has the given name Taro', () => {
      const yamada: PatientGroup = {
        ...outside,
        seen: { names: ['YAMADA^TARO'], birthDates: [], sexes: [] },
      };
      expect(patientMismatches(yamada, { patientId: 'L1', name: 'Yamada^Taro=山田^太郎' })).toEqual(
        [],
      );
      const ideographicOnly: PatientGroup = {
        ...outside,
        seen: { names: ['=山田^太郎', '=山田^花子'], birthDates: [], sexes: [] },
      };
      expect(
        patientMismatches(ideographicOnly, { patientId: 'L1', name: 'Yamada^Taro=山田^太郎' }),
      ).toEqual([
        { attribute: 'given name', outside: '=山田^花子', local: 'Yamada^Taro=山田^太郎' },
      ]);
    });

    it('asks when the disc holds another given name on any instance', () => {
      const merged: PatientGroup = {
        ...outside,
        seen: { names: ['SMITH^JOHN', 'SMITH^JAMES'], birthDates: ['19700101'], sexes: [] },
      };
      expect(patientMismatches(merged, local('SMITH^JOHN'))).toEqual([
        { attribute: 'given name', outside: 'SMITH^JAMES', local: 'SMITH^JOHN' },
      ]);
    });
  });
});
