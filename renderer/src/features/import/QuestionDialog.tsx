import type { ReactNode } from 'react';
import { Dialog } from '../../components/Dialog';
import { useFocusTrap } from './useFocusTrap';

/**
 * A question over the import screen that must be answered (ARIA alertdialog): it holds the
 * keyboard (the control marked `data-autofocus` first, Tab stays inside), and Escape answers with
 * the cautious choice, `onEscape`.
 */
export function QuestionDialog({
  labelledBy,
  testId,
  onEscape,
  children,
}: {
  labelledBy: string;
  testId: string;
  onEscape: () => void;
  children: ReactNode;
}) {
  const trap = useFocusTrap<HTMLDivElement>();
  return (
    <Dialog
      labelledBy={labelledBy}
      testId={testId}
      role="alertdialog"
      backdropClassName="import-backdrop"
      onEscape={onEscape}
    >
      <div ref={trap}>{children}</div>
    </Dialog>
  );
}
