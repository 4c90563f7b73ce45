import type { sourceMethods } from '../../../../preload/features/sources';
import {
  CapturePreferencesStore,
  capturePreferencesFile,
} from '../../preferences/CapturePreferencesStore';
import { StationError, type Handlers } from '../../rpc/dispatch';
import type { StationParts } from '../parts';

/**
 * Handlers for the methods in preload/features/sources.ts: the station's remembered camera and
 * format, in `<data folder>/preferences/capture.json`. A damaged file is logged and ignored (the
 * camera starts on the defaults); a failed save is reported to the caller and logged.
 */
export function sourcesHandlers(parts: StationParts): Pick<Handlers, keyof typeof sourceMethods> {
  const store = new CapturePreferencesStore(capturePreferencesFile(parts.dataFolder));
  let reported = false;
  const load = async () => {
    const { problem } = await store.load();
    if (problem && !reported) parts.log.warn('capture preferences ignored', { problem });
    reported = true;
  };
  return {
    getCapturePreferences: async () => {
      await load();
      return store.get();
    },
    setCapturePreferences: async (input) => {
      await load();
      try {
        const saved = await store.set(input);
        parts.log.info('capture preferences saved', {
          source: saved.source?.label,
          format: saved.format,
        });
        return saved;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        parts.log.error('capture preferences not saved', { reason });
        throw new StationError(`The camera choice could not be saved: ${reason}`);
      }
    },
  };
}
