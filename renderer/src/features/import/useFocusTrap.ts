import { useEffect, useRef } from 'react';

const FOCUSABLE =
  'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * Keeps the keyboard inside a question that must be answered (ARIA alertdialog): on mount the
 * element marked `data-autofocus` (else the first control) takes focus, Tab and Shift+Tab cycle
 * within the container, focus that lands outside is brought back, and on unmount focus returns
 * where it was. Without it, Enter on the Import button behind the question ran the import again.
 */
export function useFocusTrap<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    const container = ref.current;
    if (!container) return;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const controls = () => [...container.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const initial = () =>
      container.querySelector<HTMLElement>('[data-autofocus]') ?? controls()[0] ?? container;
    initial().focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Tab') return;
      const list = controls();
      const first = list[0];
      const last = list[list.length - 1];
      if (!first || !last) {
        event.preventDefault();
        return;
      }
      const active = document.activeElement;
      if (event.shiftKey && (active === first || !container.contains(active))) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (active === last || !container.contains(active))) {
        event.preventDefault();
        first.focus();
      }
    };
    const onFocusIn = (event: FocusEvent) => {
      if (event.target instanceof Node && !container.contains(event.target)) initial().focus();
    };
    document.addEventListener('keydown', onKey, true);
    document.addEventListener('focusin', onFocusIn);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      document.removeEventListener('focusin', onFocusIn);
      if (before?.isConnected) before.focus();
    };
  }, []);
  return ref;
}
