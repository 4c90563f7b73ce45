/**
 * Resolutions and frame rates a station offers, the department's default, and the constraints
 * that ask a camera for them (issue 6, item 1). Pure functions: no DOM, unit-tested in Node.
 */
import type { StationInfo } from '../../../../preload/contract';
import type { CaptureFormat } from '../../../../preload/features/sources';

export type Department = StationInfo['department'];

/** What the open camera says it can do (MediaStreamTrack.getCapabilities()), when it says. */
export interface CameraLimits {
  readonly maxWidth?: number;
  readonly maxHeight?: number;
  readonly maxFrameRate?: number;
}

/**
 * Up to 1080p: the video transfer syntaxes the recorder produces (H.264 High, DOMAIN.md) stop
 * there; 4K would need HEVC.
 */
export const RESOLUTIONS: readonly (readonly [number, number])[] = [
  [1920, 1080],
  [1280, 720],
  [1024, 768],
  [960, 540],
  [800, 600],
  [640, 480],
  [640, 360],
  [320, 240],
  [320, 180],
];
export const FRAME_RATES: readonly number[] = [60, 50, 30, 25, 24, 15];

/** Scopes and capture cards in endoscopy: 1080p at 30 fps, asked for exactly (issue 6). */
export const ENDOSCOPY_FORMAT: CaptureFormat = { width: 1920, height: 1080, frameRate: 30 };

/**
 * The format to ask for when the station has none remembered: endoscopy's 1080p30; elsewhere
 * `undefined`, meaning "the camera's best up to 1080p" (see constraintsFor).
 */
export function defaultFormat(department: Department): CaptureFormat | undefined {
  return department === 'endoscopy' ? ENDOSCOPY_FORMAT : undefined;
}

/**
 * The video constraints for a device and format. A remembered device is asked for exactly (a
 * station must not silently photograph through another camera); sizes and rates are `ideal`, so
 * the nearest mode opens and the UI shows what was delivered. No format: the best up to 1080p.
 */
export function constraintsFor(
  deviceId: string | undefined,
  format: CaptureFormat | undefined,
): Record<string, unknown> {
  const device = deviceId ? { deviceId: { exact: deviceId } } : {};
  if (!format) {
    return {
      ...device,
      width: { ideal: 1920, max: 1920 },
      height: { ideal: 1080, max: 1080 },
      frameRate: { ideal: 30 },
    };
  }
  return {
    ...device,
    width: { ideal: format.width },
    height: { ideal: format.height },
    frameRate: { ideal: format.frameRate },
  };
}

/** The resolutions this camera can give (all of them when it does not say), plus `current`. */
export function resolutionChoices(
  limits: CameraLimits | undefined,
  current?: CaptureFormat,
): [number, number][] {
  const fits = ([w, h]: readonly [number, number]) =>
    w <= (limits?.maxWidth ?? Infinity) && h <= (limits?.maxHeight ?? Infinity);
  const list = RESOLUTIONS.filter(fits).map(([w, h]): [number, number] => [w, h]);
  if (current && !list.some(([w, h]) => w === current.width && h === current.height)) {
    list.unshift([current.width, current.height]);
  }
  return list;
}

/** The frame rates this camera can give (all of them when it does not say), plus `current`. */
export function frameRateChoices(limits: CameraLimits | undefined, current?: number): number[] {
  const list = FRAME_RATES.filter((rate) => rate <= (limits?.maxFrameRate ?? Infinity));
  if (current !== undefined && !list.includes(current)) list.unshift(current);
  return list;
}

/** What the camera actually delivers (its settings and the decoded picture size). */
export interface DeliveredFormat {
  readonly width: number;
  readonly height: number;
  readonly frameRate?: number;
}

/**
 * True when the camera delivers something other than what was asked. Frame rates within half a
 * frame count as equal (cameras report 29.97 for 30).
 */
export function differsFromAsked(asked: CaptureFormat, delivered: DeliveredFormat): boolean {
  if (asked.width !== delivered.width || asked.height !== delivered.height) return true;
  return delivered.frameRate !== undefined && Math.abs(asked.frameRate - delivered.frameRate) > 0.5;
}
