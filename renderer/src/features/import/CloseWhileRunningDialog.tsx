import { strings } from '../../i18n/strings';
import { QuestionDialog } from './QuestionDialog';

const t = strings.mediaImport;

/**
 * Asked before the import screen closes while an import is preparing or sending: closing does not
 * stop it (it continues in the background), and its report is then found in the outbox.
 */
export function CloseWhileRunningDialog({
  onStay,
  onClose,
}: {
  onStay: () => void;
  onClose: () => void;
}) {
  return (
    <QuestionDialog
      labelledBy="import-close-heading"
      testId="import-close-running"
      onEscape={onStay}
    >
      <h2 id="import-close-heading">{t.closeRunningHeading}</h2>
      <p>{t.closeRunningText}</p>
      <div className="actions">
        <button type="button" onClick={onStay} data-autofocus data-testid="import-keep-open">
          {t.keepOpen}
        </button>
        <button type="button" onClick={onClose} data-testid="import-close-anyway">
          {t.closeAnyway}
        </button>
      </div>
    </QuestionDialog>
  );
}
