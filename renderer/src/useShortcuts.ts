import { useEffect, useRef, type RefObject } from 'react';

interface ShortcutTargets {
  readonly searchRef: RefObject<HTMLInputElement | null>;
  readonly captureRef: RefObject<HTMLElement | null>;
  /** Space: take a still (not while typing, nor on a focused button or row that Space activates). */
  readonly onCapture: () => void;
  /** R: start or stop video recording. */
  readonly onToggleRecording: () => void;
}

/** True when the key goes to a field the person is typing in. */
export function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  );
}

/** True when Space would activate the focused element (a button, a worklist row). */
function isActivatable(target: EventTarget | null): boolean {
  return target instanceof HTMLButtonElement || target instanceof HTMLTableRowElement;
}

/**
 * True while a modal dialog (import, pedal settings, outbox, unscheduled patient…) is open: the
 * keys then belong to the dialog, never to the camera or the worklist behind it.
 */
export function isModalOpen(): boolean {
  return document.querySelector('[aria-modal="true"]') !== null;
}

/**
 * Station-wide keys (issue 2: everything reachable by keyboard): `/` jumps to the worklist
 * search, Alt+1 to the worklist, Alt+2 to the capture view, Space takes a still. Ignored while
 * typing in a field, except Alt combinations, and all of them while a modal dialog is open.
 */
export function useShortcuts(targets: ShortcutTargets) {
  const latest = useRef(targets);
  useEffect(() => {
    latest.current = targets;
  });

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isModalOpen()) return;
      const { searchRef, captureRef, onCapture, onToggleRecording } = latest.current;
      const typing = isTyping(event.target);
      if (event.key === '/' && !typing) {
        event.preventDefault();
        searchRef.current?.focus();
      } else if (event.key === ' ' && !typing && !isActivatable(event.target) && !event.repeat) {
        event.preventDefault();
        onCapture();
      } else if (
        (event.key === 'r' || event.key === 'R') &&
        !typing &&
        !event.altKey &&
        !event.ctrlKey &&
        !event.metaKey &&
        !event.repeat
      ) {
        event.preventDefault();
        onToggleRecording();
      } else if (event.altKey && event.key === '1') {
        event.preventDefault();
        searchRef.current?.focus();
      } else if (event.altKey && event.key === '2') {
        event.preventDefault();
        captureRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
