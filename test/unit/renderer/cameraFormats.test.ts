import { describe, expect, it } from 'vitest';
import {
  constraintsFor,
  defaultFormat,
  differsFromAsked,
  frameRateChoices,
  resolutionChoices,
} from '../../../renderer/src/features/capture/cameraFormats';

describe('camera formats', () => {
  it('defaults endoscopy to 1080p30 and other departments to the best up to 1080p', () => {
    expect(defaultFormat('endoscopy')).toEqual({ width: 1920, height: 1080, frameRate: 30 });
    for (const department of ['general', 'woundcare', 'dermatology'] as const) {
      expect(defaultFormat(department)).toBeUndefined();
    }
    expect(constraintsFor(undefined, undefined)).toEqual({
      width: { ideal: 1920, max: 1920 },
      height: { ideal: 1080, max: 1080 },
      frameRate: { ideal: 30 },
    });
    expect(constraintsFor('dev', { width: 1280, height: 720, frameRate: 25 })).toEqual({
      deviceId: { exact: 'dev' },
      width: { ideal: 1280 },
      height: { ideal: 720 },
      frameRate: { ideal: 25 },
    });
  });

  it('offers what the camera can do, never above 1080p, and keeps a remembered odd format', () => {
    expect(resolutionChoices({ maxWidth: 640, maxHeight: 360 })).toEqual([
      [640, 360],
      [320, 240],
      [320, 180],
    ]);
    expect(resolutionChoices({ maxWidth: 3840, maxHeight: 2160 })[0]).toEqual([1920, 1080]);
    expect(resolutionChoices(undefined)).toHaveLength(9);
    expect(
      resolutionChoices(
        { maxWidth: 640, maxHeight: 360 },
        { width: 720, height: 576, frameRate: 25 },
      )[0],
    ).toEqual([720, 576]);
    expect(frameRateChoices({ maxFrameRate: 30 })).toEqual([30, 25, 24, 15]);
    expect(frameRateChoices({ maxFrameRate: 30 }, 12)).toEqual([12, 30, 25, 24, 15]);
  });

  it('tells when the camera delivers something else than asked, tolerating 29.97 for 30', () => {
    const asked = { width: 1920, height: 1080, frameRate: 30 };
    expect(differsFromAsked(asked, { width: 1920, height: 1080, frameRate: 29.97 })).toBe(false);
    expect(differsFromAsked(asked, { width: 1920, height: 1080 })).toBe(false);
    expect(differsFromAsked(asked, { width: 640, height: 360, frameRate: 30 })).toBe(true);
    expect(differsFromAsked(asked, { width: 1920, height: 1080, frameRate: 15 })).toBe(true);
  });
});
