import { Dialog } from '../../components/Dialog';
import type { MismatchShape } from '../../../../preload/features/mediaImport';
import { formatDicomDate } from '../../components/format';
import { strings } from '../../i18n/strings';

const t = strings.mediaImport;

export interface PatientSide {
  readonly name: string;
  readonly id: string;
  readonly birthDate: string;
  readonly sex: string;
}

export interface PendingMismatch {
  readonly outsideKey: string;
  readonly outside: PatientSide;
  readonly local: PatientSide;
  readonly mismatches: readonly MismatchShape[];
}

const ROWS = [
  { label: t.name, pick: (p: PatientSide) => p.name, attribute: 'family name' },
  { label: t.patientId, pick: (p: PatientSide) => p.id, attribute: undefined },
  {
    label: t.born,
    pick: (p: PatientSide) => formatDicomDate(p.birthDate),
    attribute: 'birth date',
  },
  { label: t.sex, pick: (p: PatientSide) => p.sex || '—', attribute: 'sex' },
] as const;

/** The disc's patient and the chosen local patient side by side; nothing is sent until confirmed. */
export function MismatchDialog({
  pending,
  onConfirm,
  onCancel,
}: {
  pending: readonly PendingMismatch[];
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Dialog
      labelledBy="import-mismatch-heading"
      testId="import-mismatch"
      role="alertdialog"
      backdropClassName="import-backdrop"
      onEscape={onCancel}
    >
      <h2 id="import-mismatch-heading">{t.mismatchHeading}</h2>
      <p>{t.mismatchIntro}</p>
      {pending.map((p) => (
        <table key={p.outsideKey} className="import-compare">
          <thead>
            <tr>
              <th />
              <th>{t.onDisc}</th>
              <th>{t.local}</th>
            </tr>
          </thead>
          <tbody>
            {ROWS.map((row) => {
              const differs = p.mismatches.some((m) => m.attribute === row.attribute);
              return (
                <tr
                  key={row.label}
                  className={differs ? 'import-compare__differs' : undefined}
                  data-testid={differs ? 'import-mismatch-row' : undefined}
                >
                  <th>{row.label}</th>
                  <td data-testid={differs ? 'import-mismatch-outside' : undefined}>
                    {row.pick(p.outside)}
                  </td>
                  <td data-testid={differs ? 'import-mismatch-local' : undefined}>
                    {row.pick(p.local)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ))}
      <div className="actions">
        <button type="button" onClick={onCancel} data-testid="import-mismatch-cancel">
          {t.cancel}
        </button>
        <button type="button" onClick={onConfirm} data-testid="import-mismatch-confirm">
          {t.confirm}
        </button>
      </div>
    </Dialog>
  );
}
