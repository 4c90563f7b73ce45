import { useCallback, useState } from 'react';
import type { BodySite, WorklistItem } from '../../../../preload/contract';
import { station } from '../../api/station';
import type { Review } from '../review/useReview';
import { grabStill, shutterSound } from './grabStill';

export type { CaptureRecord } from '../review/useReview';

/**
 * Takes stills for the patient passed at the moment of the shutter and puts them in review: the
 * capture counts as saved once the station has it durable in its review store (issue 6, item 5);
 * Send in the strip wraps and spools it.
 */
export function useStills(video: HTMLVideoElement | null, review: Review) {
  const [flash, setFlash] = useState(0);
  /** Why the last shutter press produced no photo (no picture yet, encoder failure). */
  const [grabError, setGrabError] = useState<string>();
  const { begin, settle } = review;

  const takeStill = useCallback(
    async (item: WorklistItem, options: { region?: BodySite; dermoscope?: boolean } = {}) => {
      if (!video) return;
      const capturedAt = new Date().toISOString();
      let grabbed: Awaited<ReturnType<typeof grabStill>>;
      try {
        grabbed = await grabStill(video);
        setGrabError(undefined);
      } catch (error) {
        setGrabError(error instanceof Error ? error.message : String(error));
        return;
      }
      const { jpegBase64, thumbnailUrl } = grabbed;
      // The bytes leave first: sound, flash and strip follow while the station writes them.
      const saving = station().reviewStill({
        item,
        jpegBase64,
        capturedAt,
        ...(options.region ? { region: options.region } : {}),
        ...(options.dermoscope ? { dermoscope: true } : {}),
      });
      shutterSound();
      setFlash((n) => n + 1);
      const key = begin(item, 'still', thumbnailUrl);
      try {
        settle(key, await saving);
      } catch (error) {
        settle(key, error instanceof Error ? error : new Error(String(error)));
      }
    },
    [video, begin, settle],
  );

  return { takeStill, flash, grabError };
}
