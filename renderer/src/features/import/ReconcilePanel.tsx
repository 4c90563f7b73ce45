import { useState } from 'react';
import type { StationInfo } from '../../../../preload/contract';
import type { MediaSession } from '../../../../preload/features/mediaImport';
import { formatDicomDate, formatPersonName } from '../../components/format';
import { strings } from '../../i18n/strings';
import { formatPn } from './formatPn';
import type { PatientChoice } from './importChoices';
import { LocalPatientChooser } from './LocalPatientChooser';

const t = strings.mediaImport;

/**
 * For each outside patient: the local patient chosen (or not), and an optional import order.
 * `disabled` while the choices are being checked or confirmed: what is confirmed must be what is
 * sent.
 */
export function ReconcilePanel({
  session,
  choices,
  onChoice,
  scanner,
  disabled,
}: {
  session: MediaSession;
  choices: Readonly<Record<string, PatientChoice>>;
  onChoice: (outsideKey: string, choice: PatientChoice | undefined) => void;
  scanner: StationInfo['scanner'] | undefined;
  disabled: boolean;
}) {
  const [choosingFor, setChoosingFor] = useState<string>();
  return (
    <fieldset className="import-reconcile" disabled={disabled} data-testid="import-reconcile">
      {session.patients.map((outside) => {
        const choice = choices[outside.key];
        return (
          <section key={outside.key} className="import-assignment" data-testid="import-assignment">
            <h4>
              {formatPn(outside.name) || outside.patientId} → {t.localPatient}
            </h4>
            {choice ? (
              <p data-testid="import-local-patient">
                <strong>{formatPersonName(choice.patient.name)}</strong> · ID {choice.patient.id} ·{' '}
                {t.born} {formatDicomDate(choice.patient.birthDate)} · {t.sex}{' '}
                {choice.patient.sex || '—'}{' '}
                <button
                  type="button"
                  className="link-button"
                  onClick={() => onChoice(outside.key, undefined)}
                  data-testid="import-change-patient"
                >
                  {t.change}
                </button>
              </p>
            ) : (
              <p className="hint">{t.notAssigned}</p>
            )}
            {choice && (
              <label className="dialog__row">
                {t.accession}
                <input
                  value={choice.accessionNumber}
                  maxLength={16}
                  onChange={(e) =>
                    onChoice(outside.key, { ...choice, accessionNumber: e.target.value })
                  }
                  data-testid="import-accession"
                />
                {choice.order?.accessionNumber && (
                  <button
                    type="button"
                    onClick={() =>
                      onChoice(outside.key, {
                        ...choice,
                        accessionNumber: choice.order?.accessionNumber ?? '',
                      })
                    }
                  >
                    {t.useOrder} {choice.order.accessionNumber}
                  </button>
                )}
              </label>
            )}
            {!choice && choosingFor !== outside.key && (
              <button
                type="button"
                onClick={() => setChoosingFor(outside.key)}
                data-testid="import-choose-patient"
              >
                {t.choose}
              </button>
            )}
            {!choice && choosingFor === outside.key && (
              <LocalPatientChooser
                scanner={scanner}
                onChoose={(item) => {
                  setChoosingFor(undefined);
                  onChoice(outside.key, {
                    patient: item.patient,
                    order: item,
                    accessionNumber: '',
                  });
                }}
              />
            )}
          </section>
        );
      })}
    </fieldset>
  );
}
