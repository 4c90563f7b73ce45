import { useEffect, type RefObject } from 'react';

/**
 * Station-wide keys (issue 2: everything reachable by keyboard): `/` jumps to the worklist
 * search, Alt+1 to the worklist, Alt+2 to the capture view. Ignored while typing in a field,
 * except Alt combinations.
 */
export function useShortcuts(targets: {
  searchRef: RefObject<HTMLInputElement | null>;
  captureRef: RefObject<HTMLElement | null>;
}) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const typing =
        event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement;
      if (event.key === '/' && !typing) {
        event.preventDefault();
        targets.searchRef.current?.focus();
      } else if (event.altKey && event.key === '1') {
        event.preventDefault();
        targets.searchRef.current?.focus();
      } else if (event.altKey && event.key === '2') {
        event.preventDefault();
        targets.captureRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [targets.searchRef, targets.captureRef]);
}
