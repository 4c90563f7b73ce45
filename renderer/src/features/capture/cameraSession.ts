/**
 * One open camera, from getUserMedia to "the camera was unplugged" and back (issue 6, item 1).
 * No React and no DOM globals: the browser's objects come in through the small interfaces below,
 * so unit tests in Node drive unplug/replug with fakes.
 */
import type { CaptureFormat, CaptureSource } from '../../../../preload/features/sources';
import { constraintsFor, type CameraLimits } from './cameraFormats';

/** A camera or capture card as listed by enumerateDevices(). */
export interface CameraDevice {
  readonly deviceId: string;
  readonly label: string;
}

export type CameraState =
  | { status: 'starting' }
  | {
      status: 'live';
      label: string;
      deviceId: string;
      width: number;
      height: number;
      /** As the camera reports it (getSettings()); absent when it does not say. */
      frameRate?: number;
      /** What was asked; absent: "the best up to 1080p". */
      asked?: CaptureFormat;
      limits?: CameraLimits;
    }
  | { status: 'no-camera' }
  /** The chosen camera went away (unplugged, or missing at start); the session waits for it. */
  | { status: 'disconnected'; label: string }
  | { status: 'denied' }
  | { status: 'failed'; message: string };

// ---- what the session needs from the browser (structural subsets of the DOM types) -----------

interface Listenable {
  addEventListener(type: string, listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: string, listener: () => void): void;
}
export interface TrackLike extends Listenable {
  readonly label: string;
  stop(): void;
  getSettings(): { deviceId?: string; width?: number; height?: number; frameRate?: number };
  getCapabilities?(): {
    width?: { max?: number };
    height?: { max?: number };
    frameRate?: { max?: number };
  };
}
export interface StreamLike {
  getVideoTracks(): TrackLike[];
  getTracks(): TrackLike[];
}
export interface MediaDevicesLike extends Listenable {
  enumerateDevices(): Promise<{ kind: string; deviceId: string; label: string }[]>;
  getUserMedia(constraints: { video: Record<string, unknown>; audio: false }): Promise<StreamLike>;
}
export interface VideoSink extends Listenable {
  srcObject: unknown;
  readonly videoWidth: number;
  readonly videoHeight: number;
}

export interface CameraSessionOptions {
  readonly mediaDevices: MediaDevicesLike;
  readonly video: VideoSink;
  /** The remembered camera; absent: the system's default camera. */
  readonly wanted: CaptureSource | undefined;
  readonly format: CaptureFormat | undefined;
  readonly onState: (state: CameraState) => void;
  readonly onDevices: (devices: CameraDevice[]) => void;
  /** While disconnected, how often to look for the camera besides `devicechange` events. */
  readonly pollMs?: number;
}

/** The cameras and capture cards the browser lists (labels are empty before permission). */
export async function listCameras(mediaDevices: MediaDevicesLike): Promise<CameraDevice[]> {
  const all = await mediaDevices.enumerateDevices();
  return all
    .filter((device) => device.kind === 'videoinput' && device.deviceId !== '')
    .map(({ deviceId, label }) => ({ deviceId, label }));
}

/**
 * The listed device that is `source`: the same deviceId, or else the same non-empty label (a
 * device re-enumerated under a new id, e.g. plugged into another USB port).
 */
export function matchDevice(
  devices: readonly CameraDevice[],
  source: CaptureSource,
): CameraDevice | undefined {
  return (
    devices.find((device) => device.deviceId === source.deviceId) ??
    (source.label ? devices.find((device) => device.label === source.label) : undefined)
  );
}

/** Maps a getUserMedia rejection to a state a person can act on. */
export function describeCameraError(error: unknown): CameraState {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return { status: 'no-camera' };
  if (name === 'NotAllowedError' || name === 'SecurityError') return { status: 'denied' };
  return { status: 'failed', message: error instanceof Error ? error.message : String(error) };
}

/**
 * Opens the camera into `video` and keeps it open: when the track ends or the device leaves the
 * list (`devicechange`), reports `disconnected` with the camera's name, clears the preview, and
 * reopens the same camera (matched by id or label) as soon as it is listed again. A missing
 * remembered camera at start is reported the same way. close() stops everything; no callback
 * fires after it.
 */
export function openCameraSession(options: CameraSessionOptions): { close(): void } {
  const { mediaDevices, video, format, pollMs = 2000 } = options;
  let closed = false;
  let stream: StreamLike | undefined;
  /** The device to reopen after a disconnection (the remembered one, or the one that was live). */
  let target = options.wanted;
  /** Bumped by each start and each loss, so a late event from an older stream is ignored. */
  let generation = 0;
  const cleanups: (() => void)[] = [];
  const report = (state: CameraState) => !closed && options.onState(state);
  const listen = (on: Listenable, type: string, listener: () => void) => {
    on.addEventListener(type, listener);
    cleanups.push(() => on.removeEventListener(type, listener));
  };
  const refreshDevices = async () => {
    const devices = await listCameras(mediaDevices);
    if (!closed) options.onDevices(devices);
    return devices;
  };
  const stopStream = () => {
    stream?.getTracks().forEach((track) => track.stop());
    stream = undefined;
  };
  const resetListeners = () => cleanups.splice(0).forEach((cleanup) => cleanup());

  const lost = (source: CaptureSource, from: number) => {
    if (closed || from !== generation) return;
    generation++;
    resetListeners();
    stopStream();
    // Clearing the preview also tells a recorder on this element that its stream is over.
    video.srcObject = null;
    target = source;
    report({ status: 'disconnected', label: source.label });
    waitFor(source);
  };

  const waitFor = (source: CaptureSource) => {
    let looking = false;
    const look = () => {
      if (closed || looking) return;
      looking = true;
      refreshDevices()
        .then((devices) => {
          if (closed || !matchDevice(devices, source)) return;
          resetListeners();
          start().catch(fail);
        })
        .catch(() => undefined)
        .finally(() => (looking = false));
    };
    listen(mediaDevices, 'devicechange', look);
    const timer = setInterval(look, pollMs);
    cleanups.push(() => clearInterval(timer));
  };

  const start = async () => {
    const mine = ++generation;
    report({ status: 'starting' });
    const devices = await refreshDevices();
    const labelsKnown = devices.some((device) => device.label !== '');
    const device = target ? matchDevice(devices, target) : undefined;
    if (target && !device && (labelsKnown || devices.length === 0)) return lost(target, mine);
    const opened = await mediaDevices.getUserMedia({
      video: constraintsFor(device?.deviceId, format),
      audio: false,
    });
    if (closed || mine !== generation) {
      opened.getTracks().forEach((track) => track.stop());
      return;
    }
    stream = opened;
    const track = opened.getVideoTracks()[0];
    const settings = track?.getSettings() ?? {};
    const source: CaptureSource = {
      deviceId: settings.deviceId ?? device?.deviceId ?? '',
      label: track?.label || device?.label || target?.label || '',
    };
    if (track) listen(track, 'ended', () => lost(source, mine));
    listen(mediaDevices, 'devicechange', () => {
      void refreshDevices().then((now) => {
        const gone = source.deviceId && !now.some((d) => d.deviceId === source.deviceId);
        if (gone) lost(source, mine);
      });
    });
    // Labels become readable once permission is granted: list again for the picker.
    if (!labelsKnown) void refreshDevices();
    listen(video, 'loadeddata', () => {
      const capabilities = track?.getCapabilities?.();
      report({
        status: 'live',
        label: source.label,
        deviceId: source.deviceId,
        width: video.videoWidth,
        height: video.videoHeight,
        ...(settings.frameRate !== undefined ? { frameRate: settings.frameRate } : {}),
        ...(format ? { asked: format } : {}),
        limits: {
          maxWidth: capabilities?.width?.max,
          maxHeight: capabilities?.height?.max,
          maxFrameRate: capabilities?.frameRate?.max,
        },
      });
    });
    video.srcObject = opened;
  };

  const fail = (error: unknown) => {
    if (closed) return;
    const state = describeCameraError(error);
    // The remembered camera could not be opened (gone, or busy): wait for it like an unplug.
    if (target && state.status !== 'denied') return lost(target, generation);
    report(state);
    if (state.status === 'no-camera') {
      listen(mediaDevices, 'devicechange', () => {
        resetListeners();
        start().catch(fail);
      });
    }
  };
  start().catch(fail);

  return {
    close() {
      closed = true;
      resetListeners();
      stopStream();
    },
  };
}
