import { describe, expect, it } from 'vitest';
import {
  isPermanentStoreStatus,
  storeOutcome,
  storeStatusText,
} from '../../../main/core/dimse/storeStatus';

describe('C-STORE status classes (PS3.4 B.2.3, PS3.7 Annex C)', () => {
  it('0x0107 and 0x0116 are warnings (stored); pending, cancel and unknown codes are not', () => {
    for (const status of [0x0107, 0x0116, 0x0001, 0xb000, 0xb006, 0xb007, 0xb123]) {
      expect(storeOutcome(status)).toBe('warning');
    }
    expect(storeStatusText(0x0107)).toBe('stored, with an attribute list error (warning)');
    expect(storeStatusText(0x0116)).toBe('stored, with an attribute value out of range (warning)');
    for (const status of [0xff00, 0xff01, 0xfe00, 0x0110, 0x0111, 0x0108, 0xd000, 0xa800]) {
      expect(storeOutcome(status)).toBe('failure');
    }
  });

  it('what a resend cannot cure is permanent (0xA8xx, 0x0111 too); busy or unknown is not', () => {
    const permanent = [0xa800, 0xa8ff, 0xa900, 0xc000, 0xcfff, 0x0111, 0x0117, 0x0120, 0x0122];
    for (const status of [...permanent, 0x0124, 0x0211, 0x0212]) {
      expect(isPermanentStoreStatus(status)).toBe(true);
    }
    expect(storeStatusText(0xa801)).toBe('refused: SOP class not supported');
    const transient = [0xa700, 0xa7ff, 0x0110, 0x0210, 0x0213, 0xfe00, 0x0108, 0xd000, 0xffff];
    for (const status of transient) expect(isPermanentStoreStatus(status)).toBe(false);
  });
});
