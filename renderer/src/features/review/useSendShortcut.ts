import { useEffect, useRef } from 'react';
import { isModalOpen } from '../../useShortcuts';

/**
 * Ctrl+Enter (⌘+Enter on a Mac) sends the captures in review — also while typing a note, which
 * is where a person finishing a review usually is; never behind an open dialog.
 */
export function useSendShortcut(onSend: () => void) {
  const latest = useRef(onSend);
  useEffect(() => {
    latest.current = onSend;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey) || event.repeat) return;
      // Behind an open dialog the keys belong to the dialog (as for Space).
      if (isModalOpen()) return;
      event.preventDefault();
      latest.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
