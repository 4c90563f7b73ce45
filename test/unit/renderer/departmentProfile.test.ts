import { describe, expect, it } from 'vitest';
import { departmentProfile } from '../../../renderer/src/features/capture/departmentProfile';

describe('department profiles', () => {
  it('wound care requires the body site and records no video', () => {
    expect(departmentProfile('woundcare')).toEqual({
      stillNeedsRegion: true,
      dermoscopeSwitch: false,
      video: false,
    });
  });
  it('dermatology offers the dermoscope switch; endoscopy records video', () => {
    expect(departmentProfile('dermatology').dermoscopeSwitch).toBe(true);
    expect(departmentProfile('endoscopy').video).toBe(true);
    expect(departmentProfile('endoscopy').stillNeedsRegion).toBe(false);
  });
});
