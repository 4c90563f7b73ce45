import { useEffect, useRef } from 'react';
import type { PedalAction } from '../../../../preload/contract';
import { station } from '../../api/station';

interface Handlers {
  readonly onPedal: (action: PedalAction) => void;
  readonly onHidScan: (text: string) => void;
}

/** Foot pedal presses and HID scanner reads, from the station's events to the current handlers. */
export function useHidEvents(handlers: Handlers) {
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });
  useEffect(() => {
    const offPedal = station().on('pedal', ({ action }) => latest.current.onPedal(action));
    const offScan = station().on('hidScan', ({ text }) => latest.current.onHidScan(text));
    return () => {
      offPedal();
      offScan();
    };
  }, []);
}
