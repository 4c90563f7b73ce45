import { z } from 'zod';
import type { Patient, PersonName } from './context';
import { isValidUid } from './uids';

/**
 * Patient and study given as DICOM keywords (the CLI's P.json / S.json, an import, a test):
 * `{"PatientName": "Doe^Jane", "PatientID": "MRN1", "IssuerOfPatientID": "HOSP",
 *   "PatientBirthDate": "19700101", "PatientSex": "F"}`. Names are PS3.5 6.2 strings with up to
 * three `=`-separated component groups, or DICOM JSON PN objects (PS3.18 F.2.2).
 */

/**
 * PS3.5 6.2: a backslash separates values and control characters are not text, so neither may
 * stand in one value given here ("L1\\L2" would become two Patient IDs).
 */
const isOneTextValue = (text: string): boolean =>
  ![...text].some((c) => c === '\\' || c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
const ONE_VALUE = 'one value: no backslash or control characters (PS3.5 6.2)';
/** PS3.5 6.2: LO is at most 64 characters, SH 16. */
export const LoValue = z.string().max(64).refine(isOneTextValue, ONE_VALUE);
export const ShValue = z.string().max(16).refine(isOneTextValue, ONE_VALUE);
/** PS3.5 6.2.1: a component group is at most 64 characters and five components (^). */
const isPnGroup = (group: string): boolean =>
  group.length <= 64 && group.split('^').length <= 5 && isOneTextValue(group);
const PN_RULE =
  'a person name has at most 3 groups (=), each of at most 64 characters and 5 components (^), and no backslash or control characters (PS3.5 6.2.1)';
export const PnText = z
  .string()
  .refine((text) => text.split('=').length <= 3 && text.split('=').every(isPnGroup), PN_RULE);
const PnGroup = z.string().refine((group) => !group.includes('=') && isPnGroup(group), PN_RULE);
const PnObject = z
  .object({
    Alphabetic: PnGroup.optional(),
    Ideographic: PnGroup.optional(),
    Phonetic: PnGroup.optional(),
  })
  .strict();
const Pn = z.union([PnText, PnObject, z.array(PnObject).length(1)]);
const Da = z.string().regex(/^\d{8}$/, 'a DICOM date is YYYYMMDD');
const Lo = LoValue;
const Sh = ShValue;
const Uid = z.string().refine(isValidUid, 'not a valid UID (PS3.5 9.1)');

const PatientKeywords = z
  .object({
    PatientName: Pn,
    PatientID: Lo.min(1),
    IssuerOfPatientID: Lo.optional(),
    PatientBirthDate: z.union([Da, z.literal('')]).optional(),
    PatientSex: z.enum(['M', 'F', 'O', '']).optional(),
  })
  .strict();

const StudyKeywords = z
  .object({
    StudyInstanceUID: Uid.optional(),
    AccessionNumber: Sh.optional(),
    IssuerOfAccessionNumber: Lo.optional(),
    StudyID: Sh.optional(),
    StudyDescription: Lo.optional(),
    RequestedProcedureID: Sh.optional(),
    RequestedProcedureDescription: Lo.optional(),
    ScheduledProcedureStepID: Sh.optional(),
    ReferringPhysicianName: Pn.optional(),
  })
  .strict();

export type StudyKeywords = z.infer<typeof StudyKeywords>;

/** "Yamada^Tarou=山田^太郎=やまだ^たろう" or a DICOM JSON PN object → contract PersonName. */
export function parsePersonName(value: z.infer<typeof Pn>): PersonName {
  if (typeof value === 'string') {
    const [alphabetic = '', ideographic, phonetic] = value.split('=');
    return {
      alphabetic,
      ...(ideographic ? { ideographic } : {}),
      ...(phonetic ? { phonetic } : {}),
    };
  }
  const object = (Array.isArray(value) ? value[0] : value) ?? {};
  return {
    alphabetic: object.Alphabetic ?? '',
    ...(object.Ideographic ? { ideographic: object.Ideographic } : {}),
    ...(object.Phonetic ? { phonetic: object.Phonetic } : {}),
  };
}

function describe(error: z.ZodError, what: string): Error {
  const issue = error.issues[0];
  const where = issue?.path.join('.') || what;
  return new Error(`${what}: ${where}: ${issue?.message ?? 'invalid'}`);
}

/** Throws an Error naming the first bad keyword (unknown keywords are errors: typos must not pass). */
export function patientFromKeywords(json: unknown, what = 'patient'): Patient {
  const parsed = PatientKeywords.safeParse(json);
  if (!parsed.success) throw describe(parsed.error, what);
  const p = parsed.data;
  return {
    name: parsePersonName(p.PatientName),
    id: p.PatientID,
    ...(p.IssuerOfPatientID ? { issuer: p.IssuerOfPatientID } : {}),
    ...(p.PatientBirthDate ? { birthDate: p.PatientBirthDate } : {}),
    ...(p.PatientSex ? { sex: p.PatientSex } : {}),
  };
}

export interface StudyInput {
  readonly studyInstanceUid?: string;
  readonly accessionNumber?: string;
  readonly accessionIssuer?: string;
  readonly studyId?: string;
  readonly studyDescription?: string;
  readonly requestedProcedureId?: string;
  readonly requestedProcedureDescription?: string;
  readonly scheduledStepId?: string;
  readonly referringPhysician?: PersonName;
}

/** Throws an Error naming the first bad keyword. */
export function studyFromKeywords(json: unknown, what = 'study'): StudyInput {
  const parsed = StudyKeywords.safeParse(json);
  if (!parsed.success) throw describe(parsed.error, what);
  const s = parsed.data;
  const entries: Array<[keyof StudyInput, unknown]> = [
    ['studyInstanceUid', s.StudyInstanceUID],
    ['accessionNumber', s.AccessionNumber],
    ['accessionIssuer', s.IssuerOfAccessionNumber],
    ['studyId', s.StudyID],
    ['studyDescription', s.StudyDescription],
    ['requestedProcedureId', s.RequestedProcedureID],
    ['requestedProcedureDescription', s.RequestedProcedureDescription],
    ['scheduledStepId', s.ScheduledProcedureStepID],
    [
      'referringPhysician',
      s.ReferringPhysicianName ? parsePersonName(s.ReferringPhysicianName) : undefined,
    ],
  ];
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined && v !== ''));
}
