import type { WorklistItem, WorklistQuery } from '../../../preload/contract';
import type { Department } from '../config/schema';

/** Where scheduled procedures come from: the demo list, or a DIMSE worklist server (PS3.4 K). */
export interface WorklistSource {
  /** Shown in the UI next to the list: "DEMO" or the server's AE title. */
  readonly label: string;
  readonly demo: boolean;
  /** Rejects with a StationError whose message says what to do (e.g. which AE title was refused). */
  query(query: WorklistQuery, signal?: AbortSignal): Promise<WorklistItem[]>;
}

/** Today as a DICOM DA (YYYYMMDD) in local time: a worklist day is the ward's day, not UTC's. */
export function todayAsDicomDate(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}`;
}

/** True when a YYYYMMDD date lies in a `YYYYMMDD` or `YYYYMMDD-YYYYMMDD` range (inclusive). */
export function dateInRange(date: string, range: string): boolean {
  const [from = '', to = from] = range.split('-');
  return date >= from && date <= to;
}

/** Case- and accent-insensitive form used by free-text search ("muller" finds "Müller"). */
export function searchKey(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Free-text match on patient name (all component groups), patient ID and accession number. */
export function matchesText(item: WorklistItem, text: string | undefined): boolean {
  const needle = searchKey(text?.trim() ?? '');
  if (!needle) return true;
  const { name } = item.patient;
  const haystack = [
    name.alphabetic,
    name.ideographic,
    name.phonetic,
    item.patient.id,
    item.accessionNumber,
  ]
    .filter((v): v is string => Boolean(v))
    .map((v) => searchKey(v.replace(/\^/g, ' ')));
  return haystack.some((value) => value.includes(needle));
}

/** The modality a department's worklist shows by default (issue 5): endoscopy ES, wound care XC, dermatology DMS. */
const DEPARTMENT_MODALITY: Record<Department, string | undefined> = {
  endoscopy: 'ES',
  woundcare: 'XC',
  dermatology: 'DMS',
  general: undefined,
};

/** The modality to match: as asked, the department's when not asked, none for an empty string. */
export function modalityFor(
  requested: string | undefined,
  department: Department,
): string | undefined {
  if (requested === undefined) return DEPARTMENT_MODALITY[department];
  return requested || undefined;
}
