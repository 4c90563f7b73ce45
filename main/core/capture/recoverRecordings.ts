import { basename } from 'node:path';
import type { ReviewItem } from '../../../preload/features/review';
import type { Logger } from '../log/Logger';
import type { LeftRecording, RecordingService } from './RecordingService';
import type { ReviewService } from './ReviewService';

/** A recording left behind that could not be put in review: kept where it is, for a person. */
export interface KeptRecording {
  readonly file: string;
  readonly bytes: number;
  readonly modifiedAt: string;
  readonly reason: string;
}

export interface RecoveryOutcome {
  readonly recovered: ReviewItem[];
  readonly kept: KeptRecording[];
}

/**
 * At start: a recording the station left behind (the window closed while recording, or while a
 * finished one was being remuxed) is a clinical video nobody was told about. Each one whose
 * patient is known from its metadata is finished now and held in review, marked as recovered;
 * each one that cannot be (metadata missing or unreadable, a stream that will not remux) is kept
 * in place, logged, and returned for the person to be told, with its size and time. Only two
 * kinds of file are removed: an empty recording (nothing was recorded) and one whose video is in
 * review already (the station closed between holding it and removing it). Never rejects for one
 * recording; rejects only when the folder cannot be read.
 */
export async function recoverRecordings(
  recordings: Pick<RecordingService, 'leftBehind' | 'discard'>,
  review: Pick<ReviewService, 'holdVideo' | 'heldRecordings'>,
  log: Logger,
): Promise<RecoveryOutcome> {
  const outcome: RecoveryOutcome = { recovered: [], kept: [] };
  const left = await recordings.leftBehind();
  if (left.length === 0) return outcome;
  const held = await review.heldRecordings();
  for (const recording of left) {
    const kept = await recoverOne(recording, held, recordings, review, log, outcome.recovered);
    if (kept) {
      outcome.kept.push(kept);
      log.error('a recording left behind when the station closed is kept, not in review', {
        ...kept,
      });
    }
  }
  return outcome;
}

async function recoverOne(
  recording: LeftRecording,
  held: ReadonlySet<string>,
  recordings: Pick<RecordingService, 'discard'>,
  review: Pick<ReviewService, 'holdVideo'>,
  log: Logger,
  recovered: ReviewItem[],
): Promise<KeptRecording | undefined> {
  const { file, bytes, modifiedAt, start, problem } = recording;
  const kept = (reason: string): KeptRecording => ({ file, bytes, modifiedAt, reason });
  try {
    if (bytes === 0 || held.has(basename(file))) {
      await recordings.discard(file);
      log.info('recording left behind removed', {
        file,
        why: bytes === 0 ? 'empty' : 'its video is in review already',
      });
      return undefined;
    }
    if (!start) return kept(problem ?? 'its patient is not known');
    const item = await review.holdVideo(file, start, undefined, true);
    recovered.push(item);
    log.warn('recording left behind when the station closed is in review again', {
      file,
      id: item.id,
      patientId: item.item.patient.id,
    });
    return undefined;
  } catch (error) {
    return kept(error instanceof Error ? error.message : String(error));
  }
}

/** What the person is told of a kept recording (size and time, where it is, why). */
export function keptRecordingMessage(kept: KeptRecording): string {
  const megabytes = (kept.bytes / 1_000_000).toFixed(1);
  return (
    `A video recorded until ${kept.modifiedAt} (${megabytes} MB) was left behind when the ` +
    `station closed and could not be put in review: ${kept.reason}. It is kept at ${kept.file}; ` +
    'ask IT to recover it.'
  );
}
