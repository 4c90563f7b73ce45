import { useEffect, useRef } from 'react';

/**
 * Ctrl+Enter (⌘+Enter on a Mac) sends the captures in review — also while typing a note, which
 * is where a person finishing a review usually is.
 */
export function useSendShortcut(onSend: () => void) {
  const latest = useRef(onSend);
  useEffect(() => {
    latest.current = onSend;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey) || event.repeat) return;
      event.preventDefault();
      latest.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
