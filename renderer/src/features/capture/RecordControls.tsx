import { strings } from '../../i18n/strings';
import type { RecorderState } from './useRecorder';
import { useVideoProgress } from './useVideoProgress';

const t = strings.capture;

interface Props {
  readonly state: RecorderState;
  readonly elapsedSeconds: number;
  readonly markers: number;
  readonly onMark: () => void;
  readonly canRecord: boolean;
  readonly regionChosen: boolean;
  readonly onToggle: () => void;
}

/** Start/stop with the running time on screen, and the outcome in words. */
export function RecordControls({
  state,
  elapsedSeconds,
  markers,
  onMark,
  canRecord,
  regionChosen,
  onToggle,
}: Props) {
  const recording = state.status === 'recording';
  const progress = useVideoProgress(state.status === 'saving');
  return (
    <>
      <button
        type="button"
        className={recording ? 'record record--on' : 'record'}
        onClick={onToggle}
        disabled={
          !recording &&
          (!canRecord || !regionChosen || state.status === 'saving' || state.status === 'starting')
        }
        data-testid="record-toggle"
      >
        {recording ? t.stopRecording : t.record}
      </button>
      {recording && (
        <button type="button" onClick={onMark} data-testid="record-marker">
          {t.marker(markers)}
        </button>
      )}
      <span aria-live="polite" data-testid="record-status" data-status={state.status}>
        {recording && <b className="rec">{t.recording(elapsedSeconds)}</b>}
        {state.status === 'starting' && t.startingRecording}
        {state.status === 'saving' && t.savingVideo}
        {state.status === 'saving' && progress && (
          <>
            {' '}
            <progress
              max={1}
              value={progress.fraction}
              aria-label={t.videoProgress}
              data-testid="video-progress"
            />{' '}
            {progress.secondsLeft !== undefined && t.videoTimeLeft(progress.secondsLeft)}
          </>
        )}
        {state.status === 'saved' && t.videoSaved}
        {state.status === 'saved' && state.warning && (
          <em className="record-warning" data-testid="record-warning">
            {' '}
            {state.warning}
          </em>
        )}
        {state.status === 'failed' && `${t.videoFailed} ${state.message}`}
        {state.status === 'idle' && canRecord && !regionChosen && t.needRegion}
      </span>
      {recording && state.chunkError && (
        <p className="state state--warning" role="alert" data-testid="record-chunk-error">
          {t.chunksNotSaved(state.chunkError)}
        </p>
      )}
    </>
  );
}
