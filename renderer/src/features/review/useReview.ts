import { useCallback, useEffect, useRef, useState } from 'react';
import type { WorklistItem } from '../../../../preload/contract';
import type { ReviewEdits, ReviewItem } from '../../../../preload/features/review';
import { station } from '../../api/station';
import { useLeaveWarning } from '../../useLeaveWarning';
import { applyReviewChange, heldRecord, settled, type CaptureRecord } from './reviewChanges';

export type { CaptureRecord } from './reviewChanges';

/** Text edits reach the station this long after the last keystroke (Send flushes them first). */
const EDIT_DELAY_MS = 400;
/**
 * A still another window took is shown with its thumbnail fetched this long after the station
 * announced it; by then this window's own shutter has its answer (and its thumbnail) and skips it.
 */
const THUMBNAIL_DELAY_MS = 300;

let nextKey = 1;
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The review strip's state (issue 6, item 5): what the station holds in review (listed again
 * after a restart), captures being saved, and the calls that edit, delete and send them. Edits
 * show at once and are written to the station in order, per capture; Send waits for them.
 */
export function useReview() {
  const [captures, setCaptures] = useState<CaptureRecord[]>([]);
  const pending = useRef(new Map<string, { edits: ReviewEdits; timer: number }>());
  const writes = useRef<Promise<unknown>>(Promise.resolve());

  const patch = useCallback((key: string, change: Partial<CaptureRecord>) => {
    setCaptures((list) => list.map((c) => (c.key === key ? { ...c, ...change } : c)));
  }, []);

  const shown = useRef(captures);
  useEffect(() => {
    shown.current = captures;
  }, [captures]);

  /** Fetches the thumbnail of a still the station holds, unless it has one by then. */
  const loadThumbnail = useCallback(
    async (id: string, isCancelled: () => boolean) => {
      if (shown.current.find((c) => c.key === id)?.thumbnailUrl) return;
      const preview = await station().reviewPreview({ id });
      const thumbnailUrl = `data:${preview.mimeType};base64,${preview.dataBase64}`;
      if (!isCancelled()) patch(id, { thumbnailUrl });
    },
    [patch],
  );

  useEffect(() => {
    let cancelled = false;
    station()
      .listReview()
      .then(async (items) => {
        if (cancelled) return;
        setCaptures((list) => [
          ...items.filter((i) => !list.some((c) => c.key === i.id)).map(heldRecord),
          ...list,
        ]);
        for (const held of items.filter((i) => i.medium === 'still'))
          await loadThumbnail(held.id, () => cancelled);
      })
      .catch((error: unknown) => console.error('review list failed', error));
    return () => {
      cancelled = true;
    };
  }, [loadThumbnail]);

  // What any window (this one too) did in review, as the station announces it.
  useEffect(() => {
    let cancelled = false;
    const timers = new Set<number>();
    const off = station().on('reviewChanged', (change) => {
      setCaptures((list) => applyReviewChange(list, change, (id) => pending.current.has(id)));
      if (change.item?.medium !== 'still') return;
      const timer = window.setTimeout(() => {
        timers.delete(timer);
        // Deleted meanwhile (in any window): nothing to show.
        if (!shown.current.some((c) => c.key === change.id)) return;
        loadThumbnail(change.id, () => cancelled).catch((error: unknown) =>
          console.error('thumbnail failed', error),
        );
      }, THUMBNAIL_DELAY_MS);
      timers.add(timer);
    });
    return () => {
      cancelled = true;
      off();
      for (const timer of timers) window.clearTimeout(timer);
    };
  }, [loadThumbnail]);

  /** A capture whose save has started; `settle` it with what the station answered. */
  const begin = useCallback(
    (item: WorklistItem, medium: 'still' | 'video', thumbnailUrl?: string) => {
      const key = `local-${nextKey++}`;
      setCaptures((list) => [
        ...list,
        { key, item, medium, state: 'saving', ...(thumbnailUrl ? { thumbnailUrl } : {}) },
      ]);
      return key;
    },
    [],
  );

  const settle = useCallback((key: string, outcome: ReviewItem | Error) => {
    setCaptures((list) =>
      outcome instanceof Error
        ? list.map((c) => (c.key === key ? { ...c, state: 'failed', error: outcome.message } : c))
        : settled(list, key, outcome),
    );
  }, []);

  /** A capture the station already holds (a finished recording), unless announced already. */
  const adopt = useCallback((held: ReviewItem) => {
    setCaptures((list) =>
      list.some((c) => c.key === held.id) ? list : [...list, heldRecord(held)],
    );
  }, []);

  const write = useCallback(
    (id: string) => {
      const entry = pending.current.get(id);
      if (!entry) return writes.current;
      pending.current.delete(id);
      window.clearTimeout(entry.timer);
      writes.current = writes.current.then(() =>
        station()
          .editReview({ id, edits: entry.edits })
          .then(() => patch(id, { error: undefined }))
          .catch((error: unknown) => patch(id, { error: message(error) })),
      );
      return writes.current;
    },
    [patch],
  );

  const edit = useCallback(
    (id: string, edits: ReviewEdits) => {
      setCaptures((list) =>
        list.map((c) =>
          c.key === id && c.review ? { ...c, review: applied(c.review, edits) } : c,
        ),
      );
      const before = pending.current.get(id);
      if (before) window.clearTimeout(before.timer);
      const merged = { ...before?.edits, ...edits };
      pending.current.set(id, {
        edits: merged,
        timer: window.setTimeout(() => void write(id), EDIT_DELAY_MS),
      });
    },
    [write],
  );

  const remove = useCallback(
    async (id: string) => {
      pending.current.delete(id);
      try {
        await station().deleteReview({ id, confirmed: true });
        setCaptures((list) => list.filter((c) => c.key !== id));
      } catch (error) {
        patch(id, { error: message(error) });
      }
    },
    [patch],
  );

  /** Sends these captures (in review); each succeeds or fails alone. */
  const send = useCallback(
    async (ids: readonly string[]) => {
      if (ids.length === 0) return;
      for (const id of ids) void write(id);
      await writes.current;
      setCaptures((list) =>
        list.map((c) => (ids.includes(c.key) ? { ...c, state: 'sending', error: undefined } : c)),
      );
      try {
        const outcome = await station().sendReviewed({ ids: [...ids] });
        setCaptures((list) =>
          list.map((c) => {
            const sent = outcome.sent.find((s) => s.id === c.key);
            if (sent) return { ...c, state: 'saved', saved: sent.saved };
            const failed = outcome.failed.find((f) => f.id === c.key);
            return failed ? { ...c, state: 'review', error: failed.message } : c;
          }),
        );
      } catch (error) {
        setCaptures((list) =>
          list.map((c) =>
            ids.includes(c.key) && c.state === 'sending'
              ? { ...c, state: 'review', error: message(error) }
              : c,
          ),
        );
      }
    },
    [write],
  );

  /** Sends every capture in review that belongs to this worklist item (Ctrl+Enter). */
  const sendFor = useCallback(
    (itemKey: string) =>
      send(
        captures.filter((c) => c.item.key === itemKey && c.state === 'review').map((c) => c.key),
      ),
    [captures, send],
  );

  // Captures in review are sent only on Send: leaving the page with some asks first.
  useLeaveWarning(captures.filter((c) => c.state !== 'saved' && c.state !== 'failed').length);

  return { captures, begin, settle, adopt, edit, flush: write, remove, send, sendFor };
}

export type Review = ReturnType<typeof useReview>;

/** The capture as it will be once the edits are written (the same rules as the station's). */
function applied(review: ReviewItem, edits: ReviewEdits): ReviewItem {
  const next: Record<string, unknown> = { ...review };
  if (edits.region === null) delete next.region;
  else if (edits.region) next.region = edits.region;
  for (const key of ['notes', 'woundLabel'] as const) {
    const value = edits[key];
    if (value === '') delete next[key];
    else if (value !== undefined) next[key] = value;
  }
  if (edits.dermoscopy) next.dermoscopy = edits.dermoscopy;
  return next as ReviewItem;
}
