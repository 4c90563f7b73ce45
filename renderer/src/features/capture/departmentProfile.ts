import type { StationInfo } from '../../../../preload/contract';

/** What the capture screen offers and requires in each department (issue 6, item 6). */
export interface DepartmentProfile {
  /** Wound care: every photo needs its body site, or follow-up series cannot be compared. */
  readonly stillNeedsRegion: boolean;
  /** Dermatology: a switch marks stills taken through a dermoscope (DMS instead of XC). */
  readonly dermoscopeSwitch: boolean;
  /** Endoscopy and general photography record video; wound care and dermatology take stills. */
  readonly video: boolean;
}

const PROFILES: Record<StationInfo['department'], DepartmentProfile> = {
  woundcare: { stillNeedsRegion: true, dermoscopeSwitch: false, video: false },
  dermatology: { stillNeedsRegion: false, dermoscopeSwitch: true, video: false },
  endoscopy: { stillNeedsRegion: false, dermoscopeSwitch: false, video: true },
  general: { stillNeedsRegion: false, dermoscopeSwitch: false, video: true },
};

export function departmentProfile(department: StationInfo['department']): DepartmentProfile {
  return PROFILES[department];
}
