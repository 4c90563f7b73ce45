import { describe, expect, it } from 'vitest';
import {
  WedgeBurstDetector,
  scannedPatientId,
} from '../../../renderer/src/features/patient/scannedId';

const settings = { prefix: '*P', suffix: '*', idPattern: '^PID-\\d{6}$', maxKeyIntervalMs: 35 };

function feed(detector: WedgeBurstDetector, text: string, start: number, interval: number) {
  let at = start;
  let result: string | undefined;
  for (const key of [...text, 'Enter']) {
    result = detector.key(key, at);
    at += interval;
  }
  return result;
}

describe('wristband scanner', () => {
  it('takes a burst of keys ending in Enter as a scan', () => {
    expect(feed(new WedgeBurstDetector(35), '*PPID-100234*', 1000, 8)).toBe('*PPID-100234*');
  });

  it('keeps a burst together across the Shift presses a scanner sends for capitals', () => {
    const detector = new WedgeBurstDetector(35);
    let at = 0;
    for (const key of ['Shift', 'P', 'Shift', 'I', 'D', '-', '1', '2'])
      detector.key(key, (at += 5));
    expect(detector.key('Enter', at + 5)).toBe('PID-12');
  });

  it('does not take human typing as a scan', () => {
    expect(feed(new WedgeBurstDetector(35), 'PID-100234', 1000, 120)).toBeUndefined();
  });

  it('starts a new burst after a pause, so text typed before a scan is not part of it', () => {
    const detector = new WedgeBurstDetector(35);
    detector.key('m', 0);
    detector.key('u', 150);
    expect(feed(detector, 'PID-100234', 900, 6)).toBe('PID-100234');
  });

  it('strips prefix and suffix and checks the ID pattern', () => {
    expect(scannedPatientId('*PPID-100234*', settings)).toBe('PID-100234');
    expect(scannedPatientId('*P0123456789012*', settings)).toBeUndefined();
  });
});
