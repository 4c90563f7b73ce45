import type { Patient, WorklistItem } from '../../../../preload/contract';
import type { Assignment, MediaSession } from '../../../../preload/features/mediaImport';

/** What the person chose for one outside patient. */
export interface PatientChoice {
  readonly patient: Patient;
  /** The worklist order the patient was chosen from, when any (its accession can be used). */
  readonly order?: WorklistItem;
  readonly accessionNumber: string;
}

export interface PdfChoice {
  readonly studyInstanceUid: string;
}

/** The startImport assignments for the patients that have a local patient chosen. */
export function assignmentsOf(
  session: MediaSession,
  choices: Readonly<Record<string, PatientChoice>>,
  confirmed: ReadonlySet<string>,
): Assignment[] {
  return session.patients.flatMap((outside) => {
    const choice = choices[outside.key];
    if (!choice) return [];
    const accession = choice.accessionNumber.trim();
    return [
      {
        outsideKey: outside.key,
        patient: choice.patient,
        ...(accession ? { accessionNumber: accession } : {}),
        ...(confirmed.has(outside.key) ? { acceptMismatch: true } : {}),
      },
    ];
  });
}
