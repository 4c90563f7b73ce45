import { useEffect, useRef } from 'react';
import type { HidStatus, PedalAction } from '../../../../preload/contract';
import { station } from '../../api/station';
import { isModalOpen, isTyping } from '../../useShortcuts';

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
  readonly onHidScan: (text: string) => void;
}

/**
 * Foot pedal presses and HID scanner reads, from the station's events to the current handlers;
 * keyboard-type pedals too: a key bound in settings (its KeyboardEvent.code) acts like a HID
 * pedal, except while typing in a field or while a dialog is open.
 */
export function useHidEvents(handlers: Handlers) {
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });
  useEffect(() => {
    const offPedal = station().on('pedal', ({ action }) => latest.current.onPedal(action));
    const offScan = station().on('hidScan', ({ text }) => latest.current.onHidScan(text));
    let keys = new Map<string, PedalAction>();
    const offChanged = station().on('hidChanged', (status) => (keys = keyBindings(status)));
    station()
      .getHidStatus()
      .then((status) => (keys = keyBindings(status)))
      .catch(() => undefined); // no HID: no key pedals either; the settings screen says why
    const onKey = (event: KeyboardEvent) => {
      const action = keys.get(event.code);
      if (!action || event.repeat || isTyping(event.target) || isModalOpen()) return;
      event.preventDefault();
      latest.current.onPedal(action);
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
