import type { OutsidePatient } from '../../../../preload/features/mediaImport';
import { formatDicomDate } from '../../components/format';
import { strings } from '../../i18n/strings';
import { formatPn } from './formatPn';

const t = strings.mediaImport;

/**
 * Names, birth dates and sexes the disc holds for this patient besides the first image's (a merged
 * or mislabelled record): shown in the browser so nobody reconciles on the first image alone.
 */
export function alsoSeen(patient: OutsidePatient): string[] {
  const others = (values: readonly string[], first: string) =>
    values.filter((v) => v && v !== first);
  return [
    ...others(patient.seen.names, patient.name).map(formatPn),
    ...others(patient.seen.birthDates, patient.birthDate).map(formatDicomDate),
    ...others(patient.seen.sexes, patient.sex).map((sex) => `${t.sex} ${sex}`),
  ];
}
