import { useEffect, useState, type RefObject } from 'react';

/** True when the key goes to a field the person is typing in. */
function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  );
}

/** Enters full screen on `element`, or leaves it when it is the full-screen one. */
function toggleFullscreen(element: HTMLElement | null, onError: (message?: string) => void) {
  if (!element) return;
  const change =
    document.fullscreenElement === element
      ? document.exitFullscreen()
      : element.requestFullscreen();
  change
    .then(() => onError(undefined))
    .catch((e: unknown) => onError(e instanceof Error ? e.message : String(e)));
}

/**
 * Full-screen live preview (Fullscreen API) of the element in `target`: toggle() from a button,
 * F anywhere (not while typing, no modifier), Escape to leave. `error` says why the browser
 * refused (e.g. a window that does not allow full screen).
 */
export function useFullscreen(target: RefObject<HTMLElement | null>) {
  const [active, setActive] = useState(false);
  const [error, setError] = useState<string>();
  const toggle = () => toggleFullscreen(target.current, setError);

  useEffect(() => {
    const onChange = () => setActive(document.fullscreenElement === target.current);
    const onKey = (event: KeyboardEvent) => {
      const plain = !event.altKey && !event.ctrlKey && !event.metaKey;
      if ((event.key === 'f' || event.key === 'F') && plain && !event.repeat) {
        if (isTyping(event.target)) return;
        event.preventDefault();
        toggleFullscreen(target.current, setError);
      } else if (event.key === 'Escape' && document.fullscreenElement === target.current) {
        // Browsers leave full screen on Escape themselves; Electron windows may not.
        event.preventDefault();
        void document.exitFullscreen().catch(() => undefined);
      }
    };
    document.addEventListener('fullscreenchange', onChange);
    window.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('fullscreenchange', onChange);
      window.removeEventListener('keydown', onKey);
    };
  }, [target]);

  return { active, toggle, error };
}
