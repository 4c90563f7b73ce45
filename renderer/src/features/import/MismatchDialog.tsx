import { strings } from '../../i18n/strings';
import { formatPn } from './formatPn';
import { mismatchRows, type PendingMismatch } from './mismatchRows';
import { QuestionDialog } from './QuestionDialog';

const t = strings.mediaImport;

/**
 * Each disc patient and the chosen local patient side by side, with every differing value the
 * station found on the disc; nothing is sent until confirmed. The question holds the keyboard
 * (Cancel first), so Enter cannot reach the Import button behind it.
 */
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
    <QuestionDialog
      labelledBy="import-mismatch-heading"
      testId="import-mismatch"
      onEscape={onCancel}
    >
      <h2 id="import-mismatch-heading">{t.mismatchHeading}</h2>
      <p>{t.mismatchIntro}</p>
      {pending.map((p) => (
        <table key={p.outsideKey} className="import-compare" data-testid="import-mismatch-patient">
          <caption>{formatPn(p.outside.name) || p.outside.patientId}</caption>
          <thead>
            <tr>
              <th />
              <th>{t.onDisc}</th>
              <th>{t.local}</th>
            </tr>
          </thead>
          <tbody>
            {mismatchRows(p).map((row) => {
              const differs = row.differing.length > 0;
              return (
                <tr
                  key={row.label}
                  className={differs ? 'import-compare__differs' : undefined}
                  data-testid={differs ? 'import-mismatch-row' : undefined}
                >
                  <th>
                    {row.label}
                    {differs && (
                      <span className="hint" data-testid="import-mismatch-attributes">
                        {' '}
                        ({row.differing.join(', ')} {t.differs})
                      </span>
                    )}
                  </th>
                  <td>
                    {row.outside.map((value) => (
                      <div
                        key={value.text}
                        data-testid={value.differs ? 'import-mismatch-outside' : undefined}
                      >
                        {value.differs ? <strong>{value.text}</strong> : value.text}
                      </div>
                    ))}
                  </td>
                  <td data-testid={differs ? 'import-mismatch-local' : undefined}>{row.local}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ))}
      <div className="actions">
        <button
          type="button"
          onClick={onCancel}
          data-autofocus
          data-testid="import-mismatch-cancel"
        >
          {t.cancel}
        </button>
        <button type="button" onClick={onConfirm} data-testid="import-mismatch-confirm">
          {t.confirm}
        </button>
      </div>
    </QuestionDialog>
  );
}
