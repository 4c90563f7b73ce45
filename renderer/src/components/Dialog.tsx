import type { KeyboardEvent, ReactNode } from 'react';

interface DialogProps {
  /** The id of the element inside that names the dialog (its heading). */
  readonly labelledBy: string;
  readonly testId: string;
  /** Extra classes for the dialog box (e.g. `dialog--wide`) and for the backdrop. */
  readonly className?: string;
  readonly backdropClassName?: string;
  /** `alertdialog` for a question that must be answered (a patient mismatch). */
  readonly role?: 'dialog' | 'alertdialog';
  /** Escape: what the dialog's own Close or Cancel button does. Absent: Escape does nothing. */
  readonly onEscape?: () => void;
  readonly children: ReactNode;
}

/**
 * A modal dialog over the station (ARIA dialog pattern): the station's keys stand still while it
 * is open (useShortcuts checks `aria-modal`), and Escape does what its Close/Cancel button does.
 */
export function Dialog(props: DialogProps) {
  const { labelledBy, testId, className, backdropClassName, role, onEscape, children } = props;
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !onEscape) return;
    event.stopPropagation();
    onEscape();
  };
  return (
    <div className={`dialog-backdrop${backdropClassName ? ` ${backdropClassName}` : ''}`}>
      <section
        className={`dialog${className ? ` ${className}` : ''}`}
        role={role ?? 'dialog'}
        aria-modal="true"
        aria-labelledby={labelledBy}
        data-testid={testId}
        onKeyDown={onKeyDown}
      >
        {children}
      </section>
    </div>
  );
}
