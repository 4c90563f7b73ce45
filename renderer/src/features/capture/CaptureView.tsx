import type { WorklistItem } from '../../../../preload/contract';
import { strings } from '../../i18n/strings';
import { useCamera, type CameraState } from './useCamera';

const t = strings.capture;

/** Live preview of the camera or scope; capture controls arrive with the capture issue. */
export function CaptureView({ patient }: { patient: WorklistItem | undefined }) {
  const { videoRef, state, retry } = useCamera();
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
      </header>
      <video
        ref={videoRef}
        className="preview"
        autoPlay
        muted
        playsInline
        aria-label={t.liveCamera}
        data-testid="live-preview"
      />
      {!patient && <p className="state">{t.needPatient}</p>}
    </section>
  );
}

function describe(state: CameraState): string {
  switch (state.status) {
    case 'starting':
      return t.starting;
    case 'live':
      return `${t.liveCamera}: ${state.label || 'camera'} ${state.width}×${state.height}`;
    case 'no-camera':
      return t.noCamera;
    case 'denied':
      return t.denied;
    case 'failed':
      return `${t.failed} ${state.message}`;
  }
}
