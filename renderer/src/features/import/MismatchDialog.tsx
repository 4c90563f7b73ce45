import type { MismatchShape } from '../../../../preload/features/mediaImport';
import { strings } from '../../i18n/strings';

const t = strings.mediaImport;

export interface PendingMismatch {
  readonly outsideKey: string;
  readonly outsideName: string;
  readonly localName: string;
  readonly mismatches: readonly MismatchShape[];
}

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
    <div className="dialog-backdrop import-backdrop">
      <section
        className="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="import-mismatch-heading"
        data-testid="import-mismatch"
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
              <tr>
                <th>{t.localPatient}</th>
                <td>{p.outsideName}</td>
                <td>{p.localName}</td>
              </tr>
              {p.mismatches.map((m) => (
                <tr
                  key={m.attribute}
                  className="import-compare__differs"
                  data-testid="import-mismatch-row"
                >
                  <th>{m.attribute}</th>
                  <td data-testid="import-mismatch-outside">{m.outside || '—'}</td>
                  <td data-testid="import-mismatch-local">{m.local || '—'}</td>
                </tr>
              ))}
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
      </section>
    </div>
  );
}
