import { useCallback, useEffect, useRef, useState } from 'react';
import type { BodySite, WorklistItem } from '../../../../preload/contract';
import type { ReviewItem } from '../../../../preload/features/review';
import { station } from '../../api/station';

/** H.264 High profile, as the video transfer syntaxes admit (DOMAIN.md); Matroska as fallback. */
const MIME_TYPES = ['video/mp4;codecs=avc1.640028', 'video/x-matroska;codecs=avc1'];
/** 8 Mb/s at 1080p30 (issue 6), scaled by pixel count for smaller sources; never below 2 Mb/s. */
const BITS_PER_PIXEL_FRAME = 8_000_000 / (1920 * 1080 * 30);
/** One chunk a second: a crash loses at most about a second of video. */
const TIMESLICE_MS = 1000;

interface RecordingSession {
  readonly recorder: MediaRecorder;
  readonly recordingId: string;
  readonly startedAt: number;
  /** Seconds into the recording at which the marker pedal (or button) was pressed. */
  readonly markers: number[];
  chain: Promise<unknown>;
  seq: number;
  /** Removes the listeners that finish the recording when the camera goes away. */
  detach?: () => void;
  /** The recorder fired 'stop': its last chunk is on the chain. */
  stopped?: boolean;
}

export type RecorderState =
  | { status: 'idle' }
  | { status: 'recording'; startedAt: number }
  | { status: 'saving' }
  | { status: 'saved'; held: ReviewItem }
  | { status: 'failed'; message: string };

/** The notes size the contract allows (ReviewEdits.notes). */
const MAX_NOTES = 1024;

/** "Markers at 00:12, 01:05": what the endoscopist flagged, as the video's notes (Image Comments). */
export function markerNotes(markers: readonly number[]): string {
  const clock = (s: number) =>
    `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  let notes = 'Markers at';
  for (const [i, at] of markers.entries()) {
    const next = `${notes}${i === 0 ? ' ' : ', '}${clock(at)}`;
    if (next.length > MAX_NOTES - 4) return `${notes} …`;
    notes = next;
  }
  return notes;
}

function bitrateFor(video: HTMLVideoElement): number {
  const pixelRate = video.videoWidth * video.videoHeight * 30;
  return Math.max(2_000_000, Math.round(pixelRate * BITS_PER_PIXEL_FRAME));
}

async function base64Of(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/**
 * Records the live stream with MediaRecorder and sends each chunk to the station as it arrives,
 * in order, so the recording is on disk, not in this page. Stop waits for the last chunk, then
 * asks the station to wrap and spool the video.
 */
export function useRecorder(
  video: HTMLVideoElement | null,
  onHeldRecording?: (held: ReviewItem) => void,
) {
  const onHeld = useRef(onHeldRecording);
  useEffect(() => {
    onHeld.current = onHeldRecording;
  });
  const [state, setState] = useState<RecorderState>({ status: 'idle' });
  const session = useRef<RecordingSession | undefined>(undefined);
  // The clock for the on-screen timer, advanced by an interval while recording (render stays pure).
  const [now, setNow] = useState(0);
  const [markerCount, setMarkerCount] = useState(0);

  useEffect(() => {
    if (state.status !== 'recording') return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [state.status]);

  const stop = useCallback(async () => {
    const current = session.current;
    if (!current) return;
    session.current = undefined;
    current.detach?.();
    setState({ status: 'saving' });
    try {
      // A recorder whose camera went away stops by itself: it turns inactive first and fires its
      // last 'dataavailable' and 'stop' later, so wait for 'stop' unless it already came.
      if (!current.stopped) {
        await new Promise<void>((resolve) => {
          current.recorder.addEventListener('stop', () => resolve(), { once: true });
          if (current.recorder.state !== 'inactive') current.recorder.stop();
        });
      }
      // onstop follows the last dataavailable: its append is already on the chain.
      await current.chain;
      // Held for review (features/review); Send wraps and spools it.
      const finished = await station().finishRecording({ recordingId: current.recordingId });
      // Markers become the video's notes, which review shows and may still change.
      const held =
        current.markers.length > 0
          ? await station().editReview({
              id: finished.id,
              edits: { notes: markerNotes(current.markers) },
            })
          : finished;
      onHeld.current?.(held);
      setState({ status: 'saved', held });
    } catch (error) {
      setState({
        status: 'failed',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }, []);

  const start = useCallback(
    async (item: WorklistItem, region: BodySite) => {
      const stream = video?.srcObject;
      if (!video || !(stream instanceof MediaStream))
        throw new Error('the camera has no picture yet');
      const mimeType = MIME_TYPES.find((type) => MediaRecorder.isTypeSupported(type));
      if (!mimeType) throw new Error('this browser cannot record H.264 video');
      const startedAt = new Date();
      const { recordingId } = await station().startRecording({
        item,
        mimeType,
        region,
        startedAt: startedAt.toISOString(),
      });
      const recorder = new MediaRecorder(stream, {
        mimeType,
        videoBitsPerSecond: bitrateFor(video),
      });
      const current: RecordingSession = {
        recorder,
        recordingId,
        startedAt: startedAt.getTime(),
        markers: [],
        chain: Promise.resolve(),
        seq: 0,
      };
      recorder.ondataavailable = (event) => {
        if (event.data.size === 0) return;
        const seq = current.seq++;
        current.chain = current.chain.then(async () =>
          station().appendRecording({ recordingId, seq, dataBase64: await base64Of(event.data) }),
        );
      };
      session.current = current;
      // The camera went away mid-recording (unplugged: the recorder stops when its track ends;
      // or the preview was cleared or switched to another stream): finish and save what was
      // recorded instead of leaving it unsaved.
      const onSourceGone = () => {
        if (session.current === current) void stop();
      };
      recorder.addEventListener('stop', () => {
        current.stopped = true;
        onSourceGone();
      });
      video.addEventListener('emptied', onSourceGone);
      current.detach = () => video.removeEventListener('emptied', onSourceGone);
      recorder.start(TIMESLICE_MS);
      setNow(startedAt.getTime());
      setMarkerCount(0);
      setState({ status: 'recording', startedAt: startedAt.getTime() });
    },
    [video, stop],
  );

  const fail = useCallback((message: string) => setState({ status: 'failed', message }), []);
  /** The marker pedal or button: notes the moment in the recording; nothing when not recording. */
  const mark = useCallback(() => {
    const current = session.current;
    if (!current) return;
    current.markers.push(Math.max(0, Math.floor((Date.now() - current.startedAt) / 1000)));
    setMarkerCount(current.markers.length);
  }, []);
  const elapsedSeconds =
    state.status === 'recording' ? Math.max(0, Math.floor((now - state.startedAt) / 1000)) : 0;
  return {
    state,
    start,
    stop,
    fail,
    mark,
    elapsedSeconds,
    markers: state.status === 'recording' ? markerCount : 0,
  };
}
