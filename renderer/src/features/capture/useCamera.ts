import { useCallback, useEffect, useState } from 'react';

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
 * Opens the camera into the <video> element given to `videoRef` (a callback ref: the camera
 * starts when the element exists, whenever that is) and reports its state in words. "Live" means
 * a frame has been decoded, so a still can be taken. Restarts on retry() and reports an unplugged
 * device (the track ends); stops the tracks on unmount.
 */
export function useCamera() {
  const [video, setVideo] = useState<HTMLVideoElement | null>(null);
  const [attempt, setAttempt] = useState(0);
  // Each outcome remembers its attempt and element, so "starting" is derived, not stored.
  const [outcome, setOutcome] = useState<{
    attempt: number;
    video: HTMLVideoElement;
    state: CameraState;
  }>();
  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  useEffect(() => {
    if (!video) return;
    let stream: MediaStream | undefined;
    let cancelled = false;
    const setState = (state: CameraState) => !cancelled && setOutcome({ attempt, video, state });
    navigator.mediaDevices
      .getUserMedia(DEFAULT_CONSTRAINTS)
      .then((opened) => {
        stream = opened;
        if (cancelled) return;
        const track = opened.getVideoTracks()[0];
        track?.addEventListener('ended', () => setState({ status: 'no-camera' }));
        const onFrame = () =>
          setState({
            status: 'live',
            label: track?.label ?? '',
            width: video.videoWidth,
            height: video.videoHeight,
          });
        video.addEventListener('loadeddata', onFrame, { once: true });
        video.srcObject = opened;
      })
      .catch((error: unknown) => setState(describeCameraError(error)));
    return () => {
      cancelled = true;
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [attempt, video]);

  const current = outcome?.attempt === attempt && outcome.video === video;
  const state: CameraState = current ? outcome.state : { status: 'starting' };
  return { videoRef: setVideo, video, state, retry };
}

function describeCameraError(error: unknown): CameraState {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return { status: 'no-camera' };
  if (name === 'NotAllowedError' || name === 'SecurityError') return { status: 'denied' };
  return { status: 'failed', message: error instanceof Error ? error.message : String(error) };
}
