import type { CaptureFormat } from '../../../../preload/features/sources';
import { strings } from '../../i18n/strings';
import {
  differsFromAsked,
  frameRateChoices,
  resolutionChoices,
  type CameraLimits,
} from './cameraFormats';
import type { CameraControl } from './useCamera';

const t = strings.sources;
/** The select value for "no remembered format": the camera's best up to 1080p. */
const BEST = 'best';

interface Props {
  readonly camera: CameraControl;
  /** The format asked for when none is remembered (endoscopy: 1080p30), if any. */
  readonly defaultFormat: CaptureFormat | undefined;
}

/**
 * Camera or capture card, resolution and frame rate for this station (issue 6, item 1). Every
 * choice is remembered by the station and applied at once; when the camera delivers something
 * else than asked, says what it delivers.
 */
export function SourcePicker({ camera, defaultFormat }: Props) {
  const { state, devices, preferences, chooseSource, chooseFormat } = camera;
  const live = state.status === 'live' ? state : undefined;
  const wanted = preferences?.source;
  const selectedId = live?.deviceId ?? wanted?.deviceId ?? '';
  const format = preferences?.format ?? defaultFormat;
  const limits: CameraLimits | undefined = live?.limits;
  const resolutions = resolutionChoices(limits, format);
  const rates = frameRateChoices(limits, format?.frameRate);
  const listed = devices.some((device) => device.deviceId === selectedId);
  const fallbackRate = format?.frameRate ?? Math.round(live?.frameRate ?? 30);
  const onResolution = (value: string) => {
    if (value === BEST) return;
    const [width, height] = value.split('x').map(Number);
    if (width && height) chooseFormat({ width, height, frameRate: fallbackRate });
  };
  const onRate = (value: string) => {
    const frameRate = Number(value);
    const [width, height] = format
      ? [format.width, format.height]
      : [live?.width ?? 1920, live?.height ?? 1080];
    if (frameRate > 0) chooseFormat({ width, height, frameRate });
  };
  const delivered =
    live?.asked && differsFromAsked(live.asked, live) ? t.delivered(live.asked, live) : undefined;

  return (
    <div className="source-picker" data-testid="source-picker">
      <label>
        {t.camera}{' '}
        <select
          value={selectedId}
          onChange={(e) => {
            const device = devices.find((d) => d.deviceId === e.target.value);
            if (device) chooseSource({ deviceId: device.deviceId, label: device.label });
          }}
          data-testid="source-device"
        >
          {selectedId === '' && <option value="">{t.systemDefault}</option>}
          {!listed && wanted && selectedId === wanted.deviceId && (
            <option value={wanted.deviceId}>{t.notConnected(wanted.label)}</option>
          )}
          {devices.map((device, index) => (
            <option key={device.deviceId} value={device.deviceId}>
              {device.label || t.unnamed(index + 1)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t.resolution}{' '}
        <select
          value={format ? `${format.width}x${format.height}` : BEST}
          onChange={(e) => onResolution(e.target.value)}
          data-testid="source-resolution"
        >
          {!format && <option value={BEST}>{t.best}</option>}
          {resolutions.map(([w, h]) => (
            <option key={`${w}x${h}`} value={`${w}x${h}`}>
              {`${w}×${h}`}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t.frameRate}{' '}
        <select
          value={format ? String(format.frameRate) : BEST}
          onChange={(e) => onRate(e.target.value)}
          data-testid="source-framerate"
        >
          {!format && <option value={BEST}>{t.best}</option>}
          {rates.map((rate) => (
            <option key={rate} value={String(rate)}>
              {t.fps(rate)}
            </option>
          ))}
        </select>
      </label>
      {delivered && (
        <span className="state--warning source-delivered" data-testid="camera-delivered">
          {delivered}
        </span>
      )}
      {camera.preferencesError && (
        <span className="state--error" role="alert" data-testid="source-error">
          {camera.preferencesError}
        </span>
      )}
    </div>
  );
}
