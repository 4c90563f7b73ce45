import { describe, expect, it, vi } from 'vitest';
import {
  matchDevice,
  openCameraSession,
  type CameraDevice,
  type CameraState,
} from '../../../renderer/src/features/capture/cameraSession';

/** A camera's track: ends on 'ended', like an unplugged USB camera's. */
class FakeTrack extends EventTarget {
  stopped = false;
  constructor(
    readonly label: string,
    readonly deviceId: string,
  ) {
    super();
  }
  stop() {
    this.stopped = true;
  }
  getSettings() {
    return { deviceId: this.deviceId, width: 1280, height: 720, frameRate: 29.97 };
  }
  getCapabilities() {
    return { width: { max: 1280 }, height: { max: 720 }, frameRate: { max: 30 } };
  }
}

/** navigator.mediaDevices with a plug/unplug switch. */
class FakeMediaDevices extends EventTarget {
  devices: CameraDevice[] = [];
  readonly asked: Record<string, unknown>[] = [];
  readonly tracks: FakeTrack[] = [];
  refuse?: string;
  enumerateDevices() {
    return Promise.resolve([
      { kind: 'audioinput', deviceId: 'mic', label: 'Microphone' },
      ...this.devices.map((d) => ({ kind: 'videoinput', ...d })),
    ]);
  }
  getUserMedia(constraints: { video: Record<string, unknown> }) {
    this.asked.push(constraints.video);
    if (this.refuse) return Promise.reject(Object.assign(new Error('no'), { name: this.refuse }));
    const exact = (constraints.video.deviceId as { exact?: string } | undefined)?.exact;
    const device = exact ? this.devices.find((d) => d.deviceId === exact) : this.devices[0];
    if (!device) {
      return Promise.reject(Object.assign(new Error('none'), { name: 'NotFoundError' }));
    }
    const track = new FakeTrack(device.label, device.deviceId);
    this.tracks.push(track);
    return Promise.resolve({ getVideoTracks: () => [track], getTracks: () => [track] });
  }
  plug(...devices: CameraDevice[]) {
    this.devices = devices;
    this.dispatchEvent(new Event('devicechange'));
  }
}

/** A <video> that "decodes a frame" as soon as it gets a stream. */
class FakeVideo extends EventTarget {
  private source: unknown = null;
  readonly videoWidth = 1280;
  readonly videoHeight = 720;
  get srcObject() {
    return this.source;
  }
  set srcObject(value: unknown) {
    this.source = value;
    this.dispatchEvent(new Event('emptied'));
    if (value) setTimeout(() => this.dispatchEvent(new Event('loadeddata')), 1);
  }
}

const SCOPE = { deviceId: 'scope-1', label: 'Olympus capture card' };
const WEBCAM = { deviceId: 'cam-1', label: 'HD USB Camera' };

function start(
  media: FakeMediaDevices,
  wanted: CameraDevice | undefined,
  format = { width: 1920, height: 1080, frameRate: 30 },
) {
  const video = new FakeVideo();
  const states: CameraState[] = [];
  const lists: CameraDevice[][] = [];
  const session = openCameraSession({
    mediaDevices: media,
    video,
    wanted,
    format,
    onState: (state) => states.push(state),
    onDevices: (devices) => lists.push(devices),
    pollMs: 10,
  });
  const last = () => states[states.length - 1];
  const until = (status: CameraState['status']) =>
    vi.waitFor(() => expect(last()?.status).toBe(status), { timeout: 2000, interval: 5 });
  return { video, states, lists, session, last, until };
}

describe('camera session', () => {
  it('opens the remembered camera exactly, asks for the format, and reports what it delivers', async () => {
    const media = new FakeMediaDevices();
    media.devices = [WEBCAM, SCOPE];
    const run = start(media, SCOPE);
    await run.until('live');
    expect(media.asked[0]).toEqual({
      deviceId: { exact: 'scope-1' },
      width: { ideal: 1920 },
      height: { ideal: 1080 },
      frameRate: { ideal: 30 },
    });
    expect(run.last()).toEqual({
      status: 'live',
      label: SCOPE.label,
      deviceId: 'scope-1',
      width: 1280,
      height: 720,
      frameRate: 29.97,
      asked: { width: 1920, height: 1080, frameRate: 30 },
      limits: { maxWidth: 1280, maxHeight: 720, maxFrameRate: 30 },
    });
    expect(run.lists[0]).toEqual([WEBCAM, SCOPE]);
    run.session.close();
  });

  it('recognises the remembered camera under a new deviceId by its label', async () => {
    const media = new FakeMediaDevices();
    media.devices = [WEBCAM, { deviceId: 'scope-2', label: SCOPE.label }];
    const run = start(media, SCOPE);
    await run.until('live');
    expect(media.asked[0]?.deviceId).toEqual({ exact: 'scope-2' });
    run.session.close();
  });

  it('reports an ended track as disconnected, clears the preview, and resumes by itself', async () => {
    const media = new FakeMediaDevices();
    media.devices = [SCOPE];
    const run = start(media, SCOPE);
    await run.until('live');
    const first = media.tracks[0]!;
    first.dispatchEvent(new Event('ended'));
    expect(run.last()).toEqual({ status: 'disconnected', label: SCOPE.label });
    expect(first.stopped).toBe(true);
    expect(run.video.srcObject).toBeNull();
    // Still listed (a USB reset): the next look reopens it.
    await run.until('live');
    expect(media.tracks).toHaveLength(2);
    expect(run.video.srcObject).not.toBeNull();
    run.session.close();
  });

  it('waits while the camera is unplugged and reopens it when it is plugged back', async () => {
    const media = new FakeMediaDevices();
    media.devices = [WEBCAM, SCOPE];
    const run = start(media, SCOPE);
    await run.until('live');
    media.plug(WEBCAM);
    await run.until('disconnected');
    expect(run.last()).toEqual({ status: 'disconnected', label: SCOPE.label });
    await new Promise((resolve) => setTimeout(resolve, 60)); // several polls
    expect(run.last()?.status).toBe('disconnected');
    expect(media.asked).toHaveLength(1); // never fell back to the webcam
    media.plug(WEBCAM, { deviceId: 'scope-9', label: SCOPE.label }); // another USB port
    await run.until('live');
    expect(media.asked[1]?.deviceId).toEqual({ exact: 'scope-9' });
    run.session.close();
  });

  it('says the remembered camera is disconnected when it is missing at start', async () => {
    const media = new FakeMediaDevices();
    media.devices = [WEBCAM];
    const run = start(media, SCOPE);
    await run.until('disconnected');
    expect(media.asked).toHaveLength(0);
    media.plug(WEBCAM, SCOPE);
    await run.until('live');
    run.session.close();
  });

  it('reports refusal and absence as before; a camera plugged in later starts by itself', async () => {
    const denied = new FakeMediaDevices();
    denied.devices = [WEBCAM];
    denied.refuse = 'NotAllowedError';
    const refused = start(denied, undefined);
    await refused.until('denied');
    refused.session.close();

    const empty = new FakeMediaDevices();
    const none = start(empty, undefined);
    await none.until('no-camera');
    empty.plug(WEBCAM);
    await none.until('live');
    none.session.close();
  });

  it('stops the camera and reports nothing more once closed', async () => {
    const media = new FakeMediaDevices();
    media.devices = [SCOPE];
    const run = start(media, SCOPE);
    await run.until('live');
    run.session.close();
    const count = run.states.length;
    media.tracks[0]!.dispatchEvent(new Event('ended'));
    media.plug();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(run.states).toHaveLength(count);
    expect(media.tracks[0]!.stopped).toBe(true);
  });
});

describe('matchDevice', () => {
  it('prefers the same id, then the same non-empty label, else nothing', () => {
    const twin = { deviceId: 'cam-2', label: WEBCAM.label };
    expect(matchDevice([twin, WEBCAM], WEBCAM)).toBe(WEBCAM);
    expect(matchDevice([twin], WEBCAM)).toBe(twin);
    expect(matchDevice([{ deviceId: 'x', label: '' }], { deviceId: 'y', label: '' })).toBe(
      undefined,
    );
  });
});
