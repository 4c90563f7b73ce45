import { useEffect, useRef } from 'react';
import type { HidStatus, PedalAction } from '../../../../preload/contract';
import { station } from '../../api/station';
import { isModalOpen, isTyping } from '../../useShortcuts';
import { pedalGate } from './pedalGate';

/** Key-pedal bindings ("key:F14" → action) as KeyboardEvent.code → action. */
function keyBindings(status: HidStatus): Map<string, PedalAction> {
  return new Map(
    status.bindings
      .filter((b) => b.button.startsWith('key:'))
      .map((b) => [b.button.slice('key:'.length), b.action]),
  );
}

interface Handlers {
  readonly onPedal: (action: PedalAction) => void;
  /** A press this window would have acted on, ignored because a modal dialog is open. */
  readonly onPedalIgnored: (action: PedalAction) => void;
  readonly onHidScan: (text: string) => void;
}

/**
 * Foot pedal presses and HID scanner reads, from the station's events to the current handlers;
 * keyboard-type pedals too: a key bound in settings (its KeyboardEvent.code) acts like a HID
 * pedal, except while typing in a field. A press is acted on only by the window with the focus
 * and never while a modal dialog is open, which `onPedalIgnored` reports (pedalGate.ts).
 */
export function useHidEvents(handlers: Handlers) {
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });
  useEffect(() => {
    const press = (action: PedalAction) => {
      const gate = pedalGate(document.hasFocus(), isModalOpen());
      if (gate === 'act') latest.current.onPedal(action);
      else if (gate === 'dialog-open') latest.current.onPedalIgnored(action);
      return gate;
    };
    const offPedal = station().on('pedal', ({ action }) => press(action));
    const offScan = station().on('hidScan', ({ text }) => latest.current.onHidScan(text));
    let keys = new Map<string, PedalAction>();
    const offChanged = station().on('hidChanged', (status) => (keys = keyBindings(status)));
    station()
      .getHidStatus()
      .then((status) => (keys = keyBindings(status)))
      .catch(() => undefined); // no HID: no key pedals either; the settings screen says why
    const onKey = (event: KeyboardEvent) => {
      const action = keys.get(event.code);
      if (!action || event.repeat || isTyping(event.target)) return;
      // Behind a dialog the key stays the dialog's (not prevented); the press is still reported.
      if (press(action) === 'act') event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      offPedal();
      offScan();
      offChanged();
      window.removeEventListener('keydown', onKey);
    };
  }, []);
}
