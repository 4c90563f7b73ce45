import { Dialog } from '../../components/Dialog';
import { useState, type FormEvent } from 'react';
import type { Patient, WorklistItem } from '../../../../preload/contract';
import { station } from '../../api/station';
import { formatDicomDate, formatPersonName } from '../../components/format';
import { strings } from '../../i18n/strings';
import { ManualPatientForm } from './ManualPatientForm';

const t = strings.unscheduled;

/** ±30 days around today as a DICOM date range: where a known patient's orders would be. */
function searchRange(now = new Date()): string {
  const day = (offset: number) => {
    const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + offset);
    return `${d.getFullYear()}${String(d.getMonth() + 1).padStart(2, '0')}${String(d.getDate()).padStart(2, '0')}`;
  };
  return `${day(-30)}-${day(30)}`;
}

function uniquePatients(items: readonly WorklistItem[]): Patient[] {
  const byId = new Map<string, Patient>();
  for (const item of items) if (!byId.has(item.patient.id)) byId.set(item.patient.id, item.patient);
  return [...byId.values()];
}

/**
 * Encounter-based imaging (IHE EBIW): find the patient among the worklist's patients and start a
 * new study for them; manual entry only as a last resort.
 */
export function UnscheduledDialog({
  onStart,
  onClose,
}: {
  onStart: (item: WorklistItem) => void;
  onClose: () => void;
}) {
  const [text, setText] = useState('');
  const [found, setFound] = useState<Patient[] | undefined>();
  const [error, setError] = useState<string>();
  const [manual, setManual] = useState(false);

  const search = (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    station()
      .queryWorklist({ date: searchRange(), text, stationAeTitle: '', modality: '' })
      .then((result) => setFound(uniquePatients(result.items)))
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  const start = (patient: Patient) => {
    station()
      .startUnscheduled({ patient })
      .then(onStart)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };

  return (
    <Dialog labelledBy="unscheduled-heading" testId="unscheduled-dialog" onEscape={onClose}>
      <h2 id="unscheduled-heading">{t.heading}</h2>
      {manual ? (
        <ManualPatientForm onSubmit={start} onCancel={() => setManual(false)} />
      ) : (
        <>
          <form onSubmit={search} className="dialog__row">
            <input
              autoFocus
              aria-label={t.search}
              placeholder={t.search}
              value={text}
              onChange={(e) => setText(e.target.value)}
              data-testid="unscheduled-search"
            />
            <button type="submit">{strings.worklist.refresh}</button>
          </form>
          <p className="hint">{t.searchHint}</p>
          {found?.length === 0 && <p className="state">{t.none}</p>}
          <ul className="patient-list">
            {found?.map((p) => (
              <li key={p.id}>
                <span data-testid="unscheduled-patient">
                  {formatPersonName(p.name)} · {p.id} · {formatDicomDate(p.birthDate)}
                </span>
                <button type="button" onClick={() => start(p)} data-testid="unscheduled-use">
                  {t.use}
                </button>
              </li>
            ))}
          </ul>
          <div className="dialog__row">
            <button type="button" onClick={() => setManual(true)} data-testid="unscheduled-manual">
              {t.manual}
            </button>
            <button type="button" onClick={onClose}>
              {t.cancel}
            </button>
          </div>
        </>
      )}
      {error && (
        <p className="state state--error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
