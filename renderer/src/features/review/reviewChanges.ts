import type { EventPayload, SavedCapture, WorklistItem } from '../../../../preload/contract';
import type { ReviewItem } from '../../../../preload/features/review';

/**
 * One capture of this session as the strip shows it: being made durable (`saving`), waiting in
 * the station's review store (`review`), being wrapped and spooled (`sending`), in the outbox
 * (`saved`), or not saved at all (`failed`). `error` on a `review` capture says why an edit or
 * Send did not take.
 */
export interface CaptureRecord {
  /** Local key for React; equals `review.id` once the station holds the capture. */
  readonly key: string;
  /** The patient this capture was bound to at the shutter; never changes afterwards. */
  readonly item: WorklistItem;
  readonly medium: 'still' | 'video';
  readonly thumbnailUrl?: string;
  readonly state: 'saving' | 'review' | 'sending' | 'saved' | 'failed';
  readonly review?: ReviewItem;
  readonly saved?: SavedCapture;
  readonly error?: string;
}

export type ReviewChange = EventPayload<'reviewChanged'>;

export function heldRecord(held: ReviewItem): CaptureRecord {
  return { key: held.id, item: held.item, medium: held.medium, state: 'review', review: held };
}

/**
 * The strip after a change the station announced, made in this window or another one:
 * - a capture that left review: deleted → gone; sent → "In the outbox";
 * - a capture held or edited: added when unknown here; otherwise its values replace ours, unless
 *   this window has edits of its own not yet written (`hasPendingEdits`) or is not showing it as
 *   in review (being saved, sent, failed): then ours stand and the station's echo is ignored.
 * A capture this window is still saving has a local key until its answer comes, so the echo of
 * its own shutter is added here and then merged by `settled` below.
 */
export function applyReviewChange(
  list: CaptureRecord[],
  change: ReviewChange,
  hasPendingEdits: (id: string) => boolean,
): CaptureRecord[] {
  const current = list.find((c) => c.key === change.id);
  if (change.removed === 'deleted') return list.filter((c) => c.key !== change.id);
  if (change.removed === 'sent') {
    if (!current || current.state === 'saved') return list;
    return list.map((c) =>
      c.key === change.id
        ? {
            ...c,
            state: 'saved',
            error: undefined,
            ...(change.saved ? { saved: change.saved } : {}),
          }
        : c,
    );
  }
  const item = change.item;
  if (!item) return list;
  if (!current) return [...list, heldRecord(item)];
  if (current.state !== 'review' || hasPendingEdits(change.id)) return list;
  return list.map((c) => (c.key === change.id ? { ...c, review: item } : c));
}

/**
 * This window's capture `key` is now held as `held`: it takes the station's id, and a record the
 * station's announcement added meanwhile under that id is dropped (ours has the thumbnail).
 */
export function settled(list: CaptureRecord[], key: string, held: ReviewItem): CaptureRecord[] {
  return list
    .filter((c) => c.key !== held.id || c.key === key)
    .map((c) => (c.key === key ? { ...c, key: held.id, state: 'review', review: held } : c));
}
