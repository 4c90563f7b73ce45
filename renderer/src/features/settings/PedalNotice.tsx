import { useCallback, useEffect, useState } from 'react';
import type { PedalAction } from '../../../../preload/contract';
import { strings } from '../../i18n/strings';

/** Long enough to read after looking up from the foot switch. */
const SHOWN_MS = 6000;

/**
 * "The pedal was ignored: a dialog is open": a press that did nothing must not look like a
 * broken pedal. `ignored` shows the notice (again, for a new press) for a few seconds.
 */
export function usePedalNotice() {
  const [notice, setNotice] = useState<{ text: string; at: number }>();
  useEffect(() => {
    if (!notice) return;
    const timer = window.setTimeout(() => setNotice(undefined), SHOWN_MS);
    return () => window.clearTimeout(timer);
  }, [notice]);
  const ignored = useCallback((action: PedalAction) => {
    const text = strings.pedals.ignoredBehindDialog(strings.pedals.actions[action]);
    setNotice({ text, at: Date.now() });
  }, []);
  return { notice: notice?.text, ignored };
}

/** Shown above any dialog: the dialog is why the press was ignored. */
export function PedalNotice({ text }: { readonly text: string | undefined }) {
  if (!text) return null;
  return (
    <p className="pedal-notice" role="alert" data-testid="pedal-notice">
      {text}
    </p>
  );
}
