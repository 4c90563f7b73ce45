/**
 * The local patient an import coerces outside images to, from the contract's Patient: converted
 * to the DICOM values coerceInstance writes, and checked first against what those values may hold
 * (PS3.5 6.2). The contract's Patient shape is shared with capture and the worklist, whose items
 * come from a RIS as they are; so the stricter check lives here, on the import path, where a value
 * that is not valid DICOM would be written into every outside image.
 */
import type { Patient } from '../dicom/context';
import { StationError } from '../rpc/dispatch';
import type { LocalPatient } from './coerceInstance';

/** DICOM PN from the contract's name groups (PS3.5 6.2.1: alphabetic=ideographic=phonetic). */
export function localPatientOf(patient: Patient): LocalPatient {
  const groups = [
    patient.name.alphabetic,
    patient.name.ideographic ?? '',
    patient.name.phonetic ?? '',
  ];
  while (groups.length > 1 && groups[groups.length - 1] === '') groups.pop();
  return {
    patientId: patient.id,
    ...(patient.issuer ? { issuerOfPatientId: patient.issuer } : {}),
    name: groups.join('='),
    birthDate: patient.birthDate ?? '',
    sex: patient.sex ?? '',
  };
}

/** PS3.5 6.2 LO: 64 characters at most. */
const LO_MAX = 64;
/** PS3.5 6.2 PN: five components of at most 64 characters in each group. */
const PN_COMPONENTS = 5;
const PN_COMPONENT_MAX = 64;
// Text VRs exclude control characters (ESC aside, which only ISO 2022 uses: the station writes
// Unicode) and '\', the value delimiter (PS3.5 6.1.2, 6.2).
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u001f\u007f\\]/;

function loProblem(value: string): string | undefined {
  if (value.length > LO_MAX) return `is longer than ${LO_MAX} characters`;
  if (FORBIDDEN.test(value)) return 'holds a backslash or a control character';
  return undefined;
}

function pnGroupProblem(group: string): string | undefined {
  if (FORBIDDEN.test(group)) return 'holds a backslash or a control character';
  if (group.includes('=')) return "holds '=' (it separates a name's groups)";
  const components = group.split('^');
  if (components.length > PN_COMPONENTS) return `has more than ${PN_COMPONENTS} components`;
  if (components.some((c) => c.length > PN_COMPONENT_MAX))
    return `has a component longer than ${PN_COMPONENT_MAX} characters`;
  return undefined;
}

/**
 * Throws StationError naming the field when the local patient cannot be written into an outside
 * image as valid DICOM: Patient ID empty or not LO, Issuer not LO, a name group not PN, a birth
 * date other than YYYYMMDD or empty, a sex other than M, F, O or empty.
 */
export function assertImportablePatient(patient: Patient): void {
  const fail = (field: string, problem: string): never => {
    throw new StationError(`the local patient's ${field} ${problem}; correct the patient record`);
  };
  if (patient.id === '') fail('Patient ID', 'is empty: a patient without an ID cannot be chosen');
  const id = loProblem(patient.id);
  if (id) fail('Patient ID', id);
  const issuer = patient.issuer === undefined ? undefined : loProblem(patient.issuer);
  if (issuer) fail('Issuer of Patient ID', issuer);
  const groups = [
    ['name', patient.name.alphabetic],
    ['ideographic name', patient.name.ideographic ?? ''],
    ['phonetic name', patient.name.phonetic ?? ''],
  ] as const;
  for (const [field, group] of groups) {
    const problem = pnGroupProblem(group);
    if (problem) fail(field, problem);
  }
  const birthDate = patient.birthDate ?? '';
  if (birthDate !== '' && !/^\d{8}$/.test(birthDate))
    fail('birth date', `"${birthDate}" is not a date as YYYYMMDD`);
  const sex = patient.sex ?? '';
  if (!['M', 'F', 'O', ''].includes(sex)) fail('sex', `"${sex}" is not M, F, O or empty`);
}
