import { useEffect, useState } from 'react';
import type { EventPayload } from '../../../../preload/contract';
import { station } from '../../api/station';

export type VideoProgress = EventPayload<'videoProgress'>;

/**
 * While a finished recording is being made into a standard MP4 (`active`), the station's latest
 * `videoProgress` report: how far, and the seconds left once it can tell. Cleared when inactive.
 */
export function useVideoProgress(active: boolean): VideoProgress | undefined {
  const [progress, setProgress] = useState<VideoProgress>();
  useEffect(() => {
    if (!active) return;
    const off = station().on('videoProgress', setProgress);
    return () => {
      off();
      setProgress(undefined);
    };
  }, [active]);
  return active ? progress : undefined;
}
