import { useCallback, useEffect, useRef, useState } from 'react';
import type { BodySite, WorklistItem } from '../../../../preload/contract';
import type { ReviewItem } from '../../../../preload/features/review';
import { station } from '../../api/station';
import { strings } from '../../i18n/strings';
import { useLeaveWarning } from '../../useLeaveWarning';
import { ChunkQueue } from './ChunkQueue';

/** H.264 High profile, as the video transfer syntaxes admit (DOMAIN.md); Matroska as fallback. */
const MIME_TYPES = ['video/mp4;codecs=avc1.640028', 'video/x-matroska;codecs=avc1'];
/** 8 Mb/s at 1080p30 (issue 6), scaled by pixel count for smaller sources; never below 2 Mb/s. */
const BITS_PER_PIXEL_FRAME = 8_000_000 / (1920 * 1080 * 30);
/** One chunk a second: a crash loses at most about a second of video. */
const TIMESLICE_MS = 1000;
/** Chunks (seconds) held in this page while the station does not take them; beyond, stop. */
const MAX_UNSAVED_CHUNKS = 30;
/** Stop retries what waits this often, this far apart, before finishing with what was written. */
const STOP_ATTEMPTS = 3;
const STOP_RETRY_MS = 1000;

interface RecordingSession {
  readonly recorder: MediaRecorder;
  readonly recordingId: string;
  readonly startedAt: number;
  /** Seconds into the recording at which the marker pedal (or button) was pressed. */
  readonly markers: number[];
  readonly item: WorklistItem;
  readonly chunks: ChunkQueue;
  /** Why the recording was stopped by the recorder itself, not by the person (shown after). */
  stoppedBecause?: string;
  /** Removes the listeners that finish the recording when the camera goes away. */
  detach?: () => void;
  /** The recorder fired 'stop': its last chunk is on the chain. */
  stopped?: boolean;
}

export type RecorderState =
  | { status: 'idle' }
  /** Asked the station to open a recording: a second press must not start another one. */
  | { status: 'starting'; item: WorklistItem }
  /** `chunkError`: the last chunks did not reach the station (retried with the next one). */
  | { status: 'recording'; item: WorklistItem; startedAt: number; chunkError?: string }
  | { status: 'saving'; item: WorklistItem }
  /** `warning`: saved, but not all of it (its end), or stopped by the station's failure. */
  | { status: 'saved'; held: ReviewItem; warning?: string }
  | { status: 'failed'; message: string };

/** The patient a recording is starting, running or being saved for; undefined otherwise. */
export function recordingPatient(state: RecorderState): WorklistItem | undefined {
  return state.status === 'starting' || state.status === 'recording' || state.status === 'saving'
    ? state.item
    : undefined;
}

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

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
const t = strings.capture;

/**
 * Records the live stream with MediaRecorder and sends each chunk to the station as it arrives,
 * in order (ChunkQueue), so the recording is on disk, not in this page. A chunk the station did
 * not take is shown at once and retried with the next; Stop retries what waits, then asks the
 * station to finish with what it has, so what was written reaches review even when its end did
 * not. One recording at a time: a press while one is starting or running starts nothing.
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
  // Set before the first await of start: a double press cannot open two recordings.
  const starting = useRef(false);
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
    setState({ status: 'saving', item: current.item });
    try {
      // A recorder whose camera went away stops by itself: it turns inactive first and fires its
      // last 'dataavailable' and 'stop' later, so wait for 'stop' unless it already came.
      if (!current.stopped) {
        await new Promise<void>((resolve) => {
          current.recorder.addEventListener('stop', () => resolve(), { once: true });
          if (current.recorder.state !== 'inactive') current.recorder.stop();
        });
      }
      // onstop follows the last dataavailable: its chunk is already queued.
      const { unsaved, reason } = await current.chunks.flush(STOP_ATTEMPTS, STOP_RETRY_MS);
      // Held for review (features/review); Send wraps and spools it. Finished with what the
      // station has even when the last chunks did not reach it: those are said to be missing.
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
      const warnings = [current.stoppedBecause, unsaved > 0 ? t.videoEndLost(unsaved, reason) : ''];
      const warning = warnings.filter(Boolean).join(' ');
      setState({ status: 'saved', held, ...(warning ? { warning } : {}) });
    } catch (error) {
      const why = message(error);
      setState({
        status: 'failed',
        message: current.stoppedBecause ? `${current.stoppedBecause} ${why}` : why,
      });
    }
  }, []);

  const start = useCallback(
    async (item: WorklistItem, region: BodySite) => {
      if (starting.current || session.current) return;
      const stream = video?.srcObject;
      if (!video || !(stream instanceof MediaStream))
        throw new Error('the camera has no picture yet');
      const mimeType = MIME_TYPES.find((type) => MediaRecorder.isTypeSupported(type));
      if (!mimeType) throw new Error('this browser cannot record H.264 video');
      starting.current = true;
      setState({ status: 'starting', item });
      try {
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
        const chunks = new ChunkQueue(
          async (seq, data) =>
            station().appendRecording({ recordingId, seq, dataBase64: await base64Of(data) }),
          {
            onProblem: (reason) =>
              setState((s) =>
                s.status === 'recording' && s.item === item
                  ? {
                      status: 'recording',
                      item,
                      startedAt: s.startedAt,
                      ...(reason ? { chunkError: reason } : {}),
                    }
                  : s,
              ),
            onBacklogFull: (reason) => {
              // The station has not taken the last chunks for this long: stop rather than
              // keep recording what cannot be saved, and say so.
              current.stoppedBecause = t.stoppedUnsaved(MAX_UNSAVED_CHUNKS, reason);
              if (session.current === current) void stop();
            },
          },
          MAX_UNSAVED_CHUNKS,
        );
        const current: RecordingSession = {
          recorder,
          recordingId,
          startedAt: startedAt.getTime(),
          markers: [],
          item,
          chunks,
        };
        recorder.ondataavailable = (event) => {
          if (event.data.size > 0) chunks.push(event.data);
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
        setState({ status: 'recording', item, startedAt: startedAt.getTime() });
      } finally {
        starting.current = false;
      }
    },
    [video, stop],
  );

  // Leaving the page while a recording starts, runs or is being saved would lose it: ask first.
  useLeaveWarning(recordingPatient(state) ? 1 : 0);

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
