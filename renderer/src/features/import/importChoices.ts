import type { Patient, WorklistItem } from '../../../../preload/contract';
import type {
  Assignment,
  MediaSession,
  MismatchShape,
} from '../../../../preload/features/mediaImport';

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

/**
 * Per outside key, the differences the person saw side by side and confirmed for the choice made
 * then. A confirmation belongs to that choice: changing the choice drops it (withChoice).
 */
export type Confirmations = Readonly<Record<string, readonly MismatchShape[]>>;

/** The choices and their confirmations change together, so one never outlives the other. */
export interface Picks {
  readonly choices: Readonly<Record<string, PatientChoice>>;
  readonly confirmed: Confirmations;
}

export const NO_PICKS: Picks = { choices: {}, confirmed: {} };

/**
 * Sets (or, with undefined, removes) the choice for an outside patient and drops that patient's
 * confirmation: what was confirmed was the old local patient or order, not this one.
 */
export function withChoice(picks: Picks, outsideKey: string, choice: PatientChoice | undefined) {
  const choices = { ...picks.choices };
  if (choice) choices[outsideKey] = choice;
  else delete choices[outsideKey];
  const confirmed = { ...picks.confirmed };
  delete confirmed[outsideKey];
  return { choices, confirmed };
}

const sameMismatch = (a: MismatchShape, b: MismatchShape) =>
  a.attribute === b.attribute && a.outside === b.outside && a.local === b.local;

/** Every difference found now is among those confirmed (so nothing new needs to be asked). */
export function coveredBy(
  confirmed: readonly MismatchShape[] | undefined,
  found: readonly MismatchShape[],
): boolean {
  return found.every((m) => confirmed?.some((c) => sameMismatch(c, m)) ?? false);
}

/**
 * The startImport assignments for the patients that have a local patient chosen, each with the
 * differences confirmed for it (the station refuses a difference nobody confirmed).
 */
export function assignmentsOf(session: MediaSession, picks: Picks): Assignment[] {
  return session.patients.flatMap((outside) => {
    const choice = picks.choices[outside.key];
    if (!choice) return [];
    const accession = choice.accessionNumber.trim();
    const accepted = picks.confirmed[outside.key];
    return [
      {
        outsideKey: outside.key,
        patient: choice.patient,
        ...(accession ? { accessionNumber: accession } : {}),
        ...(accepted && accepted.length > 0 ? { acceptMismatch: [...accepted] } : {}),
      },
    ];
  });
}

/** How many outside patients on the medium have no local patient chosen (they are not imported). */
export function unassignedCount(
  session: MediaSession,
  choices: Readonly<Record<string, PatientChoice>>,
): number {
  return session.patients.filter((outside) => !choices[outside.key]).length;
}
