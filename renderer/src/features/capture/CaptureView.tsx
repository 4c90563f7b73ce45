import type { BodySite, WorklistItem } from '../../../../preload/contract';
import { RecordControls } from './RecordControls';
import { RegionPicker } from './RegionPicker';
import type { RecorderState } from './useRecorder';
import type { DepartmentProfile } from './departmentProfile';
import { strings } from '../../i18n/strings';
import { useRef } from 'react';
import { defaultFormat, type Department } from './cameraFormats';
import { SourcePicker } from './SourcePicker';
import type { CameraControl, CameraState } from './useCamera';
import { useFullscreen } from './useFullscreen';
import type { CaptureRecord } from './useStills';
import { ReviewStrip } from '../review/ReviewStrip';
import { WaitingElsewhere } from '../review/WaitingElsewhere';
import type { Review } from '../review/useReview';

const t = strings.capture;

interface Props {
  readonly patient: WorklistItem | undefined;
  readonly camera: CameraControl;
  readonly department: Department;
  readonly captures: readonly CaptureRecord[];
  /** Review before sending (features/review): edits, deletion and Send for the strip. */
  readonly review: Review;
  readonly flash: number;
  readonly grabError: string | undefined;
  readonly onCapture: () => void;
  readonly region: BodySite | undefined;
  readonly onRegionChange: (region: BodySite | undefined) => void;
  readonly recorder: {
    state: RecorderState;
    elapsedSeconds: number;
    markers: number;
    onToggle: () => void;
    onMark: () => void;
  };
  readonly profile: DepartmentProfile;
  readonly dermoscope: boolean;
  readonly onDermoscopeChange: (on: boolean) => void;
}

/** Live preview of the camera or scope, the shutter, and the stills of this session. */
export function CaptureView(props: Props) {
  const {
    patient,
    camera,
    captures,
    flash,
    grabError,
    onCapture,
    region,
    onRegionChange,
    recorder,
    profile,
    dermoscope,
    onDermoscopeChange,
    department,
    review,
  } = props;
  const { videoRef, state, retry } = camera;
  const frameRef = useRef<HTMLDivElement>(null);
  const fullscreen = useFullscreen(frameRef);
  const canCapture = patient !== undefined && state.status === 'live';
  const regionMissing = profile.stillNeedsRegion && region === undefined;
  const mine = captures.filter((c) => c.item.key === patient?.key);
  return (
    <section className="panel" aria-labelledby="capture-heading" data-testid="capture-view">
      <header className="panel__header">
        <h2 id="capture-heading">{t.heading}</h2>
        <span className="camera-status" data-testid="camera-status" data-status={state.status}>
          {describe(state)}
        </span>
        {state.status !== 'live' && state.status !== 'starting' && (
          <button type="button" onClick={retry} data-testid="camera-retry">
            {t.retry}
          </button>
        )}
        <SourcePicker camera={camera} defaultFormat={defaultFormat(department)} />
        <button type="button" onClick={fullscreen.toggle} data-testid="preview-fullscreen">
          {fullscreen.active ? strings.sources.exitFullscreen : strings.sources.fullscreen}
        </button>
        {fullscreen.error && (
          <span className="state--error" role="alert">
            {strings.sources.fullscreenRefused} {fullscreen.error}
          </span>
        )}
      </header>
      <div className="preview-frame" ref={frameRef} data-testid="preview-frame">
        {state.status === 'disconnected' && (
          <p className="preview-message" role="alert" data-testid="camera-disconnected">
            {strings.sources.disconnected(state.label)}
          </p>
        )}
        <video
          ref={videoRef}
          className="preview"
          autoPlay
          muted
          playsInline
          aria-label={t.liveCamera}
          data-testid="live-preview"
        />
        {flash > 0 && <div key={flash} className="shutter-flash" aria-hidden="true" />}
      </div>
      <div className="capture-controls">
        <RegionPicker value={region} onChange={onRegionChange} />
        {profile.dermoscopeSwitch && (
          <label>
            <input
              type="checkbox"
              checked={dermoscope}
              onChange={(e) => onDermoscopeChange(e.target.checked)}
              data-testid="dermoscope"
            />{' '}
            {t.dermoscope}
          </label>
        )}
        {regionMissing && canCapture && (
          <span className="state state--warning">{t.regionRequired}</span>
        )}
      </div>
      <div className="capture-controls">
        <button
          type="button"
          className="shutter"
          onClick={onCapture}
          disabled={!canCapture || regionMissing}
          data-testid="capture-still"
        >
          {t.still}
        </button>
        {profile.video && (
          <RecordControls
            state={recorder.state}
            elapsedSeconds={recorder.elapsedSeconds}
            markers={recorder.markers}
            onMark={recorder.onMark}
            canRecord={canCapture}
            regionChosen={region !== undefined}
            onToggle={recorder.onToggle}
          />
        )}
        {!patient && <span className="state">{t.needPatient}</span>}
      </div>
      {grabError && (
        <p className="state state--error" role="alert" data-testid="capture-error">
          {t.notTaken} {grabError}
        </p>
      )}
      {patient && <ReviewStrip captures={mine} review={review} department={department} />}
      <WaitingElsewhere captures={captures} currentKey={patient?.key} />
    </section>
  );
}

function describe(state: CameraState): string {
  switch (state.status) {
    case 'starting':
      return t.starting;
    case 'live':
      return (
        `${t.liveCamera}: ${state.label || 'camera'} ${state.width}×${state.height}` +
        (state.frameRate
          ? ` · ${strings.sources.fps(Math.round(state.frameRate * 100) / 100)}`
          : '')
      );
    case 'disconnected':
      return strings.sources.disconnected(state.label);
    case 'no-camera':
      return t.noCamera;
    case 'denied':
      return t.denied;
    case 'failed':
      return `${t.failed} ${state.message}`;
  }
}
