import { useCallback, useEffect, useRef, useState } from 'react';

export type CameraState =
  | { status: 'starting' }
  | { status: 'live'; label: string; width: number; height: number }
  | { status: 'no-camera' }
  | { status: 'denied' }
  | { status: 'failed'; message: string };

/** Scopes and cameras default to 1080p30 (issue 6); the browser picks the nearest mode. */
const DEFAULT_CONSTRAINTS: MediaStreamConstraints = {
  video: { width: { ideal: 1920 }, height: { ideal: 1080 }, frameRate: { ideal: 30 } },
  audio: false,
};

/**
 * Opens the camera into a <video> element and reports its state in words; restarts on retry()
 * and when the device is unplugged (the track ends), and stops the tracks on unmount.
 */
export function useCamera() {
  const videoRef = useRef<HTMLVideoElement | null>(null);
  const [attempt, setAttempt] = useState(0);
  // Each outcome remembers its attempt, so "starting" is derived for a new attempt, not stored.
  const [outcome, setOutcome] = useState<{ attempt: number; state: CameraState }>();
  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  useEffect(() => {
    let stream: MediaStream | undefined;
    let cancelled = false;
    const setState = (state: CameraState) => setOutcome({ attempt, state });
    navigator.mediaDevices
      .getUserMedia(DEFAULT_CONSTRAINTS)
      .then((opened) => {
        stream = opened;
        if (cancelled) return;
        const track = opened.getVideoTracks()[0];
        const settings = track?.getSettings() ?? {};
        track?.addEventListener('ended', () => setState({ status: 'no-camera' }));
        if (videoRef.current) videoRef.current.srcObject = opened;
        setState({
          status: 'live',
          label: track?.label ?? '',
          width: settings.width ?? 0,
          height: settings.height ?? 0,
        });
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        setState(describeCameraError(error));
      });
    return () => {
      cancelled = true;
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [attempt]);

  const state: CameraState = outcome?.attempt === attempt ? outcome.state : { status: 'starting' };
  return { videoRef, state, retry };
}

function describeCameraError(error: unknown): CameraState {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return { status: 'no-camera' };
  if (name === 'NotAllowedError' || name === 'SecurityError') return { status: 'denied' };
  return { status: 'failed', message: error instanceof Error ? error.message : String(error) };
}
