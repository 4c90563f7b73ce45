import { useCallback, useRef, useState, type FormEvent } from 'react';
import type { StationInfo, WorklistItem } from '../../../../preload/contract';
import { station } from '../../api/station';
import { formatDicomDate, formatPersonName } from '../../components/format';
import { strings } from '../../i18n/strings';
import { useBarcodeWedge } from '../patient/useBarcodeWedge';
import { WorklistView } from '../worklist/WorklistView';
import { isUnsafePatientId, lookUpPatientId } from '../patient/patientIdLookup';

const t = strings.mediaImport;

/** ±1 year: an outside disc is often brought to an appointment that is not today. */
function aroundToday(now = new Date()): string {
  const day = (years: number) => {
    const d = new Date(now.getFullYear() + years, now.getMonth(), now.getDate());
    return `${d.getFullYear()}${String(d.getMonth() + 1).padStart(2, '0')}${String(d.getDate()).padStart(2, '0')}`;
  };
  return `${day(-1)}-${day(1)}`;
}

/**
 * The patient-context screens reused for reconciliation: the worklist with its search, and a
 * wristband scan (keyboard-wedge scanner, or the ID typed) looked up on the worklist: an ID with
 * a wildcard is refused, only an exact ID matches, and several patients with the ID are offered
 * to choose from, never the first taken.
 */
export function LocalPatientChooser({
  scanner,
  onChoose,
}: {
  scanner: StationInfo['scanner'] | undefined;
  onChoose: (item: WorklistItem) => void;
}) {
  const searchRef = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [id, setId] = useState('');
  const [notice, setNotice] = useState<string>();
  const [several, setSeveral] = useState<readonly WorklistItem[]>();

  const findById = useCallback(
    (patientId: string) => {
      setNotice(undefined);
      setSeveral(undefined);
      // A wildcard would let the worklist server answer with other patients' IDs.
      if (isUnsafePatientId(patientId)) {
        setNotice(`${t.wildcardId} ${patientId}`);
        return;
      }
      station()
        .queryWorklist({ patientId, date: aroundToday(), stationAeTitle: '', modality: '' })
        .then((result) => {
          const found = lookUpPatientId(patientId, result.items);
          if (found.kind === 'one') onChoose(found.item);
          else if (found.kind === 'several') setSeveral(found.items);
          else setNotice(`${t.noSuchId} ${patientId}`);
        })
        .catch((e: unknown) => setNotice(e instanceof Error ? e.message : String(e)));
    },
    [onChoose],
  );
  const unrecognised = useCallback((code: string) => setNotice(`${t.noSuchId} ${code}`), []);
  useBarcodeWedge(scanner, findById, unrecognised);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (id.trim()) findById(id.trim());
  };

  return (
    <div className="import-chooser" data-testid="import-chooser">
      <form onSubmit={submit} className="dialog__row">
        <label className="hint">{t.scanHint}</label>
        <input value={id} onChange={(e) => setId(e.target.value)} data-testid="import-patient-id" />
        <button type="submit">{t.findId}</button>
      </form>
      {several && (
        <div className="state state--warning" role="alert" data-testid="import-id-several">
          <p>{t.severalPatients}</p>
          <ul>
            {several.map((item) => (
              <li key={item.key}>
                <button
                  type="button"
                  onClick={() => onChoose(item)}
                  data-testid="import-id-candidate"
                >
                  {formatPersonName(item.patient.name)} · ID {item.patient.id}
                  {item.patient.issuer ? ` (${t.issuer} ${item.patient.issuer})` : ''} · {t.born}{' '}
                  {formatDicomDate(item.patient.birthDate)} · {t.sex} {item.patient.sex || '—'}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <WorklistView
        selectedKey={undefined}
        onSelect={onChoose}
        searchRef={searchRef}
        text={text}
        onTextChange={setText}
        notice={notice}
      />
    </div>
  );
}
