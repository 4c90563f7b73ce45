import { describe, expect, it } from 'vitest';
import {
  parsePersonName,
  patientFromKeywords,
  studyFromKeywords,
} from '../../../main/core/dicom/keywordContext';

describe('patient and study from DICOM keywords', () => {
  it('reads the issue example', () => {
    expect(
      patientFromKeywords({
        PatientName: 'Doe^Jane',
        PatientID: 'MRN1',
        IssuerOfPatientID: 'HOSP',
        PatientBirthDate: '19700101',
        PatientSex: 'F',
      }),
    ).toEqual({
      name: { alphabetic: 'Doe^Jane' },
      id: 'MRN1',
      issuer: 'HOSP',
      birthDate: '19700101',
      sex: 'F',
    });
  });

  it('splits PN component groups and accepts DICOM JSON PN objects', () => {
    expect(parsePersonName('Yamada^Tarou=山田^太郎=やまだ^たろう')).toEqual({
      alphabetic: 'Yamada^Tarou',
      ideographic: '山田^太郎',
      phonetic: 'やまだ^たろう',
    });
    expect(parsePersonName([{ Alphabetic: 'Kim^Ji', Ideographic: '金^智' }])).toEqual({
      alphabetic: 'Kim^Ji',
      ideographic: '金^智',
    });
  });

  it('names the file and the bad keyword; unknown keywords are errors', () => {
    expect(() => patientFromKeywords({ PatientName: 'A', PatientID: '' }, 'P.json')).toThrow(
      /^P\.json: PatientID:/,
    );
    expect(() =>
      patientFromKeywords({ PatientName: 'A', PatientID: '1', PatientBirthDate: '1970-01-01' }),
    ).toThrow(/PatientBirthDate: a DICOM date is YYYYMMDD/);
    expect(() => patientFromKeywords({ PatientName: 'A', PatientID: '1', Sex: 'F' })).toThrow(
      /patient/,
    );
    expect(() => studyFromKeywords({ StudyInstanceUID: '1.02.3' }, 'S.json')).toThrow(
      /S\.json: StudyInstanceUID: not a valid UID/,
    );
  });

  it('maps study keywords', () => {
    expect(
      studyFromKeywords({
        StudyInstanceUID: '1.2.3',
        AccessionNumber: 'A1',
        RequestedProcedureID: 'RP',
        ReferringPhysicianName: 'Who^Doctor',
      }),
    ).toEqual({
      studyInstanceUid: '1.2.3',
      accessionNumber: 'A1',
      requestedProcedureId: 'RP',
      referringPhysician: { alphabetic: 'Who^Doctor' },
    });
  });
});
