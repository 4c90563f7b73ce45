import { useCallback, useEffect, useState } from 'react';
import type { WorklistResult } from '../../../../preload/contract';
import { station } from '../../api/station';

export type WorklistState =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; result: WorklistResult };

/** The ward's list changes during the day: reload it this often without being asked. */
const AUTO_REFRESH_MS = 60_000;

/**
 * Today's worklist filtered by free text; reloads when the text changes, on refresh(), and every
 * minute. While a reload runs the last list stays on screen (no flicker under the nurse's finger).
 */
export function useWorklist(text: string): { state: WorklistState; refresh: () => void } {
  const [generation, setGeneration] = useState(0);
  const request = `${generation}:${text.trim()}`;
  // The settled answer remembers which request it answers, so "loading" is derived, not stored.
  const [settled, setSettled] = useState<{ request: string; state: WorklistState }>();

  useEffect(() => {
    let current = true;
    const answer = (state: WorklistState) => current && setSettled({ request, state });
    station()
      .queryWorklist({ text: text.trim() || undefined })
      .then((result) => answer({ status: 'ready', result }))
      .catch((error: unknown) =>
        answer({
          status: 'error',
          message: error instanceof Error ? error.message : String(error),
        }),
      );
    return () => {
      current = false;
    };
  }, [request, text]);

  const refresh = useCallback(() => setGeneration((g) => g + 1), []);
  useEffect(() => {
    const timer = setInterval(refresh, AUTO_REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);
  const previousList = settled?.state.status === 'ready' ? settled.state : undefined;
  const state: WorklistState =
    settled?.request === request ? settled.state : (previousList ?? { status: 'loading' });
  return { state, refresh };
}
