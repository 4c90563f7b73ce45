import type { WorklistItem } from '../../../preload/contract';
import { strings } from '../i18n/strings';
import { formatDicomDate, formatPersonName } from './format';

/**
 * Always visible (DOMAIN.md hazard: wrong patient): who the next capture belongs to, or plainly
 * that nobody is selected.
 */
export function PatientBanner({ item }: { item: WorklistItem | undefined }) {
  if (!item) {
    return (
      <section className="banner banner--empty" data-testid="patient-banner" aria-live="polite">
        <strong data-testid="patient-banner-name">{strings.banner.none}</strong>
        <span className="banner__hint">{strings.banner.noneHint}</span>
      </section>
    );
  }
  const { patient } = item;
  return (
    <section className="banner" data-testid="patient-banner" aria-live="polite">
      <strong data-testid="patient-banner-name">{formatPersonName(patient.name)}</strong>
      <span>
        {strings.banner.id} <b data-testid="patient-banner-id">{patient.id}</b>
      </span>
      <span>
        {strings.banner.born} <b>{formatDicomDate(patient.birthDate)}</b>
      </span>
      <span>
        {strings.banner.sex} <b>{patient.sex || '—'}</b>
      </span>
      <span>
        {strings.banner.procedure} <b>{item.requestedProcedureDescription ?? '—'}</b>
      </span>
      <span>
        {strings.banner.accession} <b>{item.accessionNumber || '—'}</b>
      </span>
    </section>
  );
}
