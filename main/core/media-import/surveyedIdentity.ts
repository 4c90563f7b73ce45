/**
 * The file a coercion changes must be the instance the person reviewed. Between reading the
 * medium (readMedia) and coercing a file, a disc can be swapped for another patient's disc of the
 * same layout and label (the same mount point, the same file names), or a folder rewritten: the
 * survey's choice of local patient would then land on someone else's images, the worst outcome
 * of an import. So the coercion compares the header it reads with what was surveyed, on the read
 * it copies from, and refuses a file that is no longer that instance of that patient.
 */
import { TAGS, textValue } from './readInstance';
import type { ScannedHeader } from './scanHeader';
import { MediaFileError, type InstanceHeader } from './types';

/** What identifies a surveyed instance and its patient (PS3.3 C.7.1.1, C.12.1). */
export type SurveyedIdentity = Pick<
  InstanceHeader,
  | 'sopInstanceUid'
  | 'studyInstanceUid'
  | 'seriesInstanceUid'
  | 'patientId'
  | 'issuerOfPatientId'
  | 'patientName'
  | 'patientBirthDate'
  | 'patientSex'
>;

/** Each compared attribute: its name for the reason, and where it is read from now. */
const COMPARED: readonly {
  readonly key: keyof SurveyedIdentity;
  readonly label: string;
  readonly read: (header: ScannedHeader) => string;
}[] = [
  { key: 'sopInstanceUid', label: 'SOP Instance UID', read: (h) => h.sopInstanceUid },
  { key: 'patientId', label: 'Patient ID', read: (h) => textValue(h, TAGS.PatientID) },
  {
    key: 'issuerOfPatientId',
    label: 'Issuer of Patient ID',
    read: (h) => textValue(h, TAGS.IssuerOfPatientID),
  },
  { key: 'patientName', label: "patient's name", read: (h) => textValue(h, TAGS.PatientName) },
  {
    key: 'patientBirthDate',
    label: 'birth date',
    read: (h) => textValue(h, TAGS.PatientBirthDate),
  },
  { key: 'patientSex', label: 'sex', read: (h) => textValue(h, TAGS.PatientSex) },
  {
    key: 'studyInstanceUid',
    label: 'Study Instance UID',
    read: (h) => textValue(h, TAGS.StudyInstanceUID),
  },
  {
    key: 'seriesInstanceUid',
    label: 'Series Instance UID',
    read: (h) => textValue(h, TAGS.SeriesInstanceUID),
  },
];

/** The part of a surveyed instance a coercion checks (plain data: it crosses to the worker). */
export function identityOf(instance: InstanceHeader): SurveyedIdentity {
  const identity = {} as Record<keyof SurveyedIdentity, string>;
  for (const { key } of COMPARED) identity[key] = instance[key];
  return identity;
}

/** Throws MediaFileError naming the first attribute that differs from the survey. */
export function assertSurveyed(expected: SurveyedIdentity, header: ScannedHeader): void {
  for (const { key, label, read } of COMPARED) {
    const now = read(header);
    if (now !== expected[key])
      throw new MediaFileError(
        `changed since the medium was read: its ${label} is now "${now}", was "${expected[key]}" (another disc in the drive? read the medium again); not imported`,
      );
  }
}
