/**
 * Groups a medium's instances patient → study → series → instance for the study browser and the
 * CLI (a disc may hold several patients: IHE PDI says nothing stops it, and it happens).
 * A patient is keyed by Patient ID + Issuer (PS3.3 C.7.1.1), falling back to the name when the ID
 * is empty; studies by Study Instance UID; series by Series Instance UID.
 */
import type { InstanceHeader } from './types';

export interface SeriesGroup {
  readonly seriesInstanceUid: string;
  readonly seriesNumber: string;
  readonly description: string;
  readonly modality: string;
  readonly instances: readonly InstanceHeader[];
}

export interface StudyGroup {
  readonly studyInstanceUid: string;
  readonly date: string;
  readonly description: string;
  readonly accessionNumber: string;
  /** Distinct modalities of the study's series, sorted (like Modalities in Study, 0008,0061). */
  readonly modalities: readonly string[];
  readonly seriesCount: number;
  readonly instanceCount: number;
  readonly series: readonly SeriesGroup[];
}

/**
 * Every distinct value a patient group's instances carry, in the order first met: one each on a
 * consistent medium. Instances under one Patient ID can disagree (a disc burned from a merged or
 * mis-keyed record); the wrong-patient check weighs each value (patientMismatch.ts).
 */
export interface PatientValuesSeen {
  readonly names: readonly string[];
  readonly birthDates: readonly string[];
  readonly sexes: readonly string[];
}

export interface PatientGroup {
  /** Stable key for choosing a local patient per outside patient. */
  readonly key: string;
  readonly patientId: string;
  readonly issuerOfPatientId: string;
  /** The first instance's name, birth date and sex, for display; `seen` has them all. */
  readonly name: string;
  readonly birthDate: string;
  readonly sex: string;
  readonly seen: PatientValuesSeen;
  readonly studies: readonly StudyGroup[];
}

/**
 * The key groupInstances uses for an instance's patient: ID and issuer, or the name when there
 * is no ID. JSON, so no value can imitate another's key (an ID may hold '^').
 */
export function patientKeyOf(i: InstanceHeader): string {
  return JSON.stringify(
    i.patientId ? ['id', i.patientId, i.issuerOfPatientId] : ['name', i.patientName],
  );
}

const distinct = (values: readonly string[]): string[] => [...new Set(values)];

function bucket<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = map.get(key);
    if (list) list.push(item);
    else map.set(key, [item]);
  }
  return map;
}

const byNumber = (a: string, b: string): number =>
  (Number(a) || 0) - (Number(b) || 0) || a.localeCompare(b);

function seriesOf(instances: readonly InstanceHeader[]): SeriesGroup[] {
  return [...bucket(instances, (i) => i.seriesInstanceUid)]
    .map(([uid, list]) => {
      const first = list[0];
      return {
        seriesInstanceUid: uid,
        seriesNumber: first?.seriesNumber ?? '',
        description: first?.seriesDescription ?? '',
        modality: first?.modality ?? '',
        instances: [...list].sort((a, b) => byNumber(a.instanceNumber, b.instanceNumber)),
      };
    })
    .sort((a, b) => byNumber(a.seriesNumber, b.seriesNumber));
}

function studiesOf(instances: readonly InstanceHeader[]): StudyGroup[] {
  return [...bucket(instances, (i) => i.studyInstanceUid)]
    .map(([uid, list]) => {
      const series = seriesOf(list);
      const first = list[0];
      return {
        studyInstanceUid: uid,
        date: first?.studyDate ?? '',
        description: first?.studyDescription ?? '',
        accessionNumber: first?.accessionNumber ?? '',
        modalities: [...new Set(series.map((s) => s.modality).filter(Boolean))].sort(),
        seriesCount: series.length,
        instanceCount: list.length,
        series,
      };
    })
    .sort(
      (a, b) =>
        a.date.localeCompare(b.date) || a.studyInstanceUid.localeCompare(b.studyInstanceUid),
    );
}

/** Groups instances; patients are ordered by name, then ID. */
export function groupInstances(instances: readonly InstanceHeader[]): PatientGroup[] {
  return [...bucket(instances, patientKeyOf)]
    .map(([key, list]) => {
      const first = list[0];
      return {
        key,
        patientId: first?.patientId ?? '',
        issuerOfPatientId: first?.issuerOfPatientId ?? '',
        name: first?.patientName ?? '',
        birthDate: first?.patientBirthDate ?? '',
        sex: first?.patientSex ?? '',
        seen: {
          names: distinct(list.map((i) => i.patientName)),
          birthDates: distinct(list.map((i) => i.patientBirthDate)),
          sexes: distinct(list.map((i) => i.patientSex)),
        },
        studies: studiesOf(list),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name) || a.patientId.localeCompare(b.patientId));
}
