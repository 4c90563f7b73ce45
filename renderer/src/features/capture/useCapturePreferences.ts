import { useCallback, useEffect, useState } from 'react';
import type { CapturePreferences } from '../../../../preload/features/sources';
import { station } from '../../api/station';

/**
 * The station's remembered camera and format (preload/features/sources.ts). `preferences` is
 * undefined until the station answered; a failed load starts from none (the camera still opens
 * on the defaults) and says why in `error`. save() applies the choice at once and reports a
 * failed save in `error`.
 */
export function useCapturePreferences() {
  const [preferences, setPreferences] = useState<CapturePreferences>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let cancelled = false;
    station()
      .getCapturePreferences()
      .then((loaded) => !cancelled && setPreferences(loaded))
      .catch((e: unknown) => {
        if (cancelled) return;
        setPreferences({});
        setError(e instanceof Error ? e.message : String(e));
      });
    return () => {
      cancelled = true;
    };
  }, []);

  const save = useCallback((next: CapturePreferences) => {
    setPreferences(next);
    setError(undefined);
    station()
      .setCapturePreferences(next)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);

  return { preferences, save, error };
}
