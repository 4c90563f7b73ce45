import { useCallback, useState } from 'react';
import type { BodySite, SavedCapture, WorklistItem } from '../../../../preload/contract';
import { station } from '../../api/station';
import { grabStill, shutterSound } from './grabStill';

export interface CaptureRecord {
  readonly id: number;
  /** The patient this capture was bound to at the shutter; never changes afterwards. */
  readonly item: WorklistItem;
  readonly thumbnailUrl: string;
  readonly state: 'saving' | 'saved' | 'failed';
  readonly saved?: SavedCapture;
  readonly error?: string;
}

let nextId = 1;

/** Takes stills for the patient passed at the moment of the shutter and tracks them until saved. */
export function useStills(video: HTMLVideoElement | null) {
  const [captures, setCaptures] = useState<CaptureRecord[]>([]);
  const [flash, setFlash] = useState(0);
  /** Why the last shutter press produced no photo (no picture yet, encoder failure). */
  const [grabError, setGrabError] = useState<string>();

  const update = (id: number, change: Partial<CaptureRecord>) =>
    setCaptures((list) => list.map((c) => (c.id === id ? { ...c, ...change } : c)));

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
      shutterSound();
      setFlash((n) => n + 1);
      const id = nextId++;
      setCaptures((list) => [...list, { id, item, thumbnailUrl, state: 'saving' }]);
      try {
        const saved = await station().saveStill({
          item,
          jpegBase64,
          capturedAt,
          ...(options.region ? { region: options.region } : {}),
          ...(options.dermoscope ? { dermoscope: true } : {}),
        });
        update(id, { state: 'saved', saved });
      } catch (error) {
        update(id, {
          state: 'failed',
          error: error instanceof Error ? error.message : String(error),
        });
      }
    },
    [video],
  );

  return { captures, takeStill, flash, grabError };
}
