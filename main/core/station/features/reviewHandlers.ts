import { join } from 'node:path';
import type { ReviewItem, reviewMethods } from '../../../../preload/features/review';
import { ReviewService } from '../../capture/ReviewService';
import { ReviewStore } from '../../capture/ReviewStore';
import { progressReporter } from '../../capture/progressEstimate';
import { keptRecordingMessage, recoverRecordings } from '../../capture/recoverRecordings';
import type { Handlers } from '../../rpc/dispatch';
import { prepareVideo } from '../../video';
import type { StationParts } from '../parts';

/**
 * Handlers for the methods in preload/features/review.ts: the review store lives in
 * `<data folder>/review`, beside `work` (same disk, so a recording moves in by rename).
 */
export function reviewHandlers(parts: StationParts): Pick<Handlers, keyof typeof reviewMethods> {
  const review = new ReviewService({
    store: new ReviewStore(join(parts.dataFolder, 'review'), parts.log),
    capture: parts.capture,
    spooled: (sopInstanceUid) => parts.outbox.holds(sopInstanceUid),
    department: parts.loaded.config.station.department,
    workFolder: join(parts.dataFolder, 'work'),
    prepareVideo,
    log: parts.log,
  });
  const held = (item: ReviewItem) => {
    parts.emit('reviewChanged', { id: item.id, item });
    return item;
  };
  // Recordings a previous run left behind go to review (or are reported) at start; the first
  // listing waits for it, so the strip after a restart shows them.
  const recovery = review
    .removeScratchLeftBehind()
    .then(() => recoverRecordings(parts.recordings, review, parts.log))
    .then(
      ({ recovered, kept }) => {
        for (const item of recovered) held(item);
        for (const recording of kept)
          parts.emit('notice', { level: 'error', message: keptRecordingMessage(recording) });
      },
      (error: unknown) => parts.log.error('recordings left behind could not be checked', { error }),
    );
  parts.onClose(() => recovery);
  return {
    reviewStill: async (still) => held(await review.addStill(still)),
    finishRecording: async ({ recordingId }) => {
      const { file, start } = await parts.recordings.finish(recordingId);
      const onProgress = progressReporter((progress) =>
        parts.emit('videoProgress', { recordingId, ...progress }),
      );
      return held(await review.holdVideo(file, start, onProgress));
    },
    listReview: async () => {
      await recovery;
      return review.list();
    },
    reviewPreview: ({ id }) => review.preview(id),
    editReview: async ({ id, edits }) => held(await review.edit(id, edits)),
    deleteReview: async ({ id }) => {
      const deleted = await review.remove(id);
      parts.emit('reviewChanged', { id, removed: 'deleted' });
      return deleted;
    },
    sendReviewed: async ({ ids }) => {
      const outcome = await review.send(ids);
      for (const { id, saved } of outcome.sent)
        parts.emit('reviewChanged', { id, removed: 'sent', saved });
      return outcome;
    },
  };
}
