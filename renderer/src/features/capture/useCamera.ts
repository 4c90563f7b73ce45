import { useCallback, useEffect, useMemo, useState } from 'react';
import type { CaptureFormat, CaptureSource } from '../../../../preload/features/sources';
import { defaultFormat, type Department } from './cameraFormats';
import { openCameraSession, type CameraDevice, type CameraState } from './cameraSession';
import { useCapturePreferences } from './useCapturePreferences';

export type { CameraDevice, CameraState } from './cameraSession';

/**
 * Opens the station's camera into the <video> given to `videoRef` (a callback ref: the camera
 * starts when the element exists, whenever that is) and reports its state in words. "Live" means
 * a frame has been decoded, so a still can be taken. The camera and format come from the station's
 * remembered choice (default: the system camera; endoscopy 1080p30, elsewhere the best up to
 * 1080p). An unplugged camera is reported as `disconnected` and reopens by itself when it is back;
 * the <video> element stays the same throughout. Waits for the department before opening.
 */
export function useCamera(department: Department | undefined) {
  const [video, setVideo] = useState<HTMLVideoElement | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [devices, setDevices] = useState<CameraDevice[]>([]);
  const { preferences, save, error: preferencesError } = useCapturePreferences();
  // Each outcome remembers its request and element, so "starting" is derived, not stored.
  const [outcome, setOutcome] = useState<{
    request: object;
    video: HTMLVideoElement;
    state: CameraState;
  }>();
  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  const wanted = preferences?.source;
  const format = preferences
    ? (preferences.format ?? defaultFormat(department ?? 'general'))
    : undefined;
  // Reopen only when what is asked for changes, not when an equal object arrives.
  const key = preferences && department ? JSON.stringify({ wanted, format, attempt }) : undefined;
  const request = useMemo(
    () =>
      key === undefined
        ? undefined
        : (JSON.parse(key) as { wanted?: CaptureSource; format?: CaptureFormat }),
    [key],
  );

  useEffect(() => {
    if (!video || !request) return;
    const opened = openCameraSession({
      mediaDevices: navigator.mediaDevices,
      video,
      wanted: request.wanted,
      format: request.format,
      onState: (state) => setOutcome({ request, video, state }),
      onDevices: setDevices,
    });
    return () => opened.close();
  }, [video, request]);

  const current = outcome !== undefined && outcome.request === request && outcome.video === video;
  const state: CameraState = current ? outcome.state : { status: 'starting' };

  /** Remembers a camera for this station and opens it. */
  const chooseSource = useCallback(
    (source: CaptureSource) => save({ ...preferences, source }),
    [preferences, save],
  );
  /** Remembers a format for this station and reopens the camera with it. */
  const chooseFormat = useCallback(
    (next: CaptureFormat) => save({ ...preferences, format: next }),
    [preferences, save],
  );
  return {
    videoRef: setVideo,
    video,
    state,
    retry,
    devices,
    preferences,
    preferencesError,
    chooseSource,
    chooseFormat,
  };
}

export type CameraControl = ReturnType<typeof useCamera>;
