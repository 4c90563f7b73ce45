import { useEffect, useRef } from 'react';
import { WedgeBurstDetector, scannedPatientId, type ScannerSettings } from './scannedId';

/**
 * Listens for wristband scans from a keyboard-wedge scanner anywhere in the window and calls
 * `onScan` with the Patient ID (or `onUnrecognised` with the raw code). The scan's own Enter is
 * swallowed so it cannot also activate a focused button or row.
 */
export function useBarcodeWedge(
  settings: ScannerSettings | undefined,
  onScan: (patientId: string) => void,
  onUnrecognised: (code: string) => void,
) {
  const handlers = useRef({ onScan, onUnrecognised });
  useEffect(() => {
    handlers.current = { onScan, onUnrecognised };
  }, [onScan, onUnrecognised]);

  useEffect(() => {
    if (!settings) return;
    const detector = new WedgeBurstDetector(settings.maxKeyIntervalMs);
    const onKey = (event: KeyboardEvent) => {
      const code = detector.key(event.key, event.timeStamp);
      if (code === undefined) return;
      event.preventDefault();
      event.stopPropagation();
      const id = scannedPatientId(code, settings);
      if (id) handlers.current.onScan(id);
      else handlers.current.onUnrecognised(code);
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [settings]);
}
