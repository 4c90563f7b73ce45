import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { RecordingStart, StillCapture } from '../../../preload/contract';
import {
  ReviewItem,
  regionNeededBy,
  type ReviewEdits,
  type SendOutcome,
} from '../../../preload/features/review';
import type { Department } from '../dicom/sopClass';
import { findRegion } from '../dicom/anatomy';
import { JpegFormatError, readJpegInfo } from '../dicom/inputs/jpegInfo';
import type { VideoPreparer } from '../dicom/videoTypes';
import type { Logger } from '../log/Logger';
import { StationError } from '../rpc/dispatch';
import { newUid } from '../dicom/uids';
import { MAX_STILL_BYTES, type CaptureService } from './CaptureService';
import { requireStudyUid } from './procedureIdentity';
import { recordingMetadataPath } from './RecordingService';
import type { ReviewRecord, ReviewStore } from './ReviewStore';

export interface ReviewServiceOptions {
  readonly store: ReviewStore;
  readonly capture: Pick<CaptureService, 'send'>;
  /**
   * Whether the outbox holds an instance with this SOP Instance UID (queued, sent or kept for
   * retention). Absent: captures found handed off after a restart stay in review.
   */
  readonly spooled?: (sopInstanceUid: string) => Promise<boolean>;
  readonly department: Department;
  /** Scratch space on the store's file system, for remuxing recordings. */
  readonly workFolder: string;
  readonly prepareVideo: VideoPreparer;
  readonly log: Logger;
}

/**
 * Review before sending (issue 6, item 5). The shutter makes a capture durable in the review
 * store, bound to the patient and worklist item shown at that moment; review may change only what
 * describes the image (body site, notes, wound label, dermoscope optics), never whom it belongs
 * to; Send wraps it as DICOM with those values and spools it in the outbox, then removes it from
 * review.
 *
 * Wound label (wound care follow-up, e.g. "Wound A"): written as Series Description (0008,103E,
 * PS3.3 C.7.3.1 General Series Module, "description of the series"), and every wound gets its own
 * series, so each visit's "Wound A" series lines up with the last one in the archive's viewer.
 * The VL Photographic Image IOD has no lesion identifier attribute (Tracking ID belongs to the
 * Dermoscopic Image Module and to segmentation/annotation objects), so the series is the unit the
 * standard offers for "these images show one wound".
 *
 * Video: the recording is remuxed to progressive MP4 once, when it stops (a refused stream is
 * reported while the operator is still there), and held as that MP4; Send wraps it, and the
 * video module then only hard-links the prepared file (prepareVideo's "linked"), so a large video
 * is neither remuxed nor wrapped twice, and never copied through memory.
 */
export class ReviewService {
  /** Per capture, the operation in progress: edits, deletion and sending never interleave. */
  private readonly busy = new Map<string, Promise<unknown>>();
  private reconciled: Promise<void> | undefined;

  constructor(private readonly options: ReviewServiceOptions) {}

  /**
   * Resolves once the still is durable in review. StationError for bytes that are not a JPEG, or
   * for an item the station cannot place in a study (procedureIdentity.ts).
   */
  async addStill(still: StillCapture): Promise<ReviewItem> {
    requireStudyUid(still.item);
    const jpeg = Buffer.from(still.jpegBase64, 'base64');
    if (jpeg.length === 0 || jpeg.length > MAX_STILL_BYTES)
      throw new StationError(
        `jpegBase64: a still must be 1 byte to ${MAX_STILL_BYTES} bytes of JPEG, got ${jpeg.length}`,
      );
    try {
      readJpegInfo(jpeg);
    } catch (error) {
      if (!(error instanceof JpegFormatError)) throw error;
      throw new StationError(`jpegBase64: the still is not a usable JPEG: ${error.message}`);
    }
    const record = await this.options.store.addBytes(
      {
        item: still.item,
        medium: 'still',
        capturedAt: still.capturedAt,
        dermoscope: still.dermoscope === true,
        ...(still.region ? { region: checkedRegion(still.region) } : {}),
        ...(still.notes ? { notes: still.notes } : {}),
      },
      jpeg,
      '.jpg',
    );
    return publicItem(record);
  }

  /**
   * At start, before anything is remuxed: scratch folders of remuxes a previous run did not end
   * (`<work>/.review-*`, up to a whole video's size each) are removed. Nothing is lost with them:
   * a recording stays in place until its review copy is durable (holdVideo).
   */
  async removeScratchLeftBehind(): Promise<void> {
    const { workFolder, log } = this.options;
    const names = await readdir(workFolder).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.startsWith('.review-'))) {
      await rm(join(workFolder, name), { recursive: true, force: true });
      log.info('remux scratch left behind removed', { folder: name });
    }
  }

  /**
   * Remuxes a finished recording to progressive MP4 and holds it in review. The recording is
   * removed only once the review copy is durable; on failure it is kept and its path is in the
   * error, so nothing recorded is lost. `recovered`: the recording was left behind when the
   * station closed (recoverRecordings.ts); the item says so (ReviewItem.recovered), and review
   * shows it — not its notes, which become the object's Image Comments.
   */
  async holdVideo(
    file: string,
    start: RecordingStart,
    onProgress?: (fraction: number) => void,
    recovered = false,
  ): Promise<ReviewItem> {
    const { workFolder, prepareVideo, store } = this.options;
    await mkdir(workFolder, { recursive: true });
    const scratch = await mkdtemp(join(workFolder, '.review-'));
    try {
      const prepared = await prepareVideo(file, scratch, {
        ...(onProgress ? { onProgress } : {}),
        // Left behind mid-recording: the last fragment may be cut; keep the whole ones before it.
        ...(recovered ? { recoverTruncated: true } : {}),
      });
      const record = await store.addFile(
        {
          item: start.item,
          medium: 'video',
          capturedAt: start.startedAt,
          dermoscope: false,
          region: checkedRegion(start.region),
          recording: basename(file),
          ...(recovered ? { recovered } : {}),
        },
        prepared.file,
      );
      await rm(file, { force: true });
      const metadata = recordingMetadataPath(file);
      if (metadata) await rm(metadata, { force: true });
      return publicItem(record);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new StationError(
        `the video was not saved: ${reason} (the recording is kept at ${file})`,
      );
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  /** File names of the recordings whose videos are in review already. */
  async heldRecordings(): Promise<Set<string>> {
    const records = await this.options.store.list();
    return new Set(records.flatMap((record) => (record.recording ? [record.recording] : [])));
  }

  async list(): Promise<ReviewItem[]> {
    this.reconciled ??= this.finishHandoffs().catch((error: unknown) =>
      this.options.log.error('captures handed to the outbox could not be checked', { error }),
    );
    await this.reconciled;
    return (await this.options.store.list()).map(publicItem);
  }

  /**
   * Once per start: a capture marked as handed to the outbox is still in review only if the
   * station stopped between the outbox taking it and its removal here (or the hand-off failed).
   * If the outbox holds its instance, the removal is finished now, so it is not sent twice as a
   * second instance; otherwise the mark is cleared and it waits for Send as before.
   */
  private async finishHandoffs(): Promise<void> {
    const { store, spooled, log } = this.options;
    const marked = (await store.list()).filter((record) => record.handoff);
    for (const { id } of marked) {
      await this.exclusive(id, async () => {
        // Read again: a Send may have run meanwhile (and removed it, or marked it anew).
        const record = await store.get(id).catch(() => undefined);
        const uid = record?.handoff?.sopInstanceUid;
        if (!record || !uid) return;
        const taken = await spooled?.(uid).catch((error: unknown) => {
          // Unknown (the outbox did not open): keep the mark, ask again at the next start.
          log.error('could not ask the outbox about a capture handed to it', { id, error });
          return undefined;
        });
        if (taken === undefined && spooled) return;
        if (taken) {
          await store.remove(record);
          log.info('capture was in the outbox already; removed from review', {
            id,
            sopInstanceUid: uid,
          });
        } else await store.update(withoutHandoff(record));
      });
    }
  }

  async preview(id: string): Promise<{ mimeType: 'image/jpeg'; dataBase64: string }> {
    const record = await this.options.store.get(id);
    if (record.medium !== 'still') throw new StationError(`capture ${id} is a video, not a still`);
    const bytes = await readFile(this.options.store.mediaPath(record));
    return { mimeType: 'image/jpeg', dataBase64: bytes.toString('base64') };
  }

  /** Applies the edits durably and returns the capture as it now is. */
  edit(id: string, edits: ReviewEdits): Promise<ReviewItem> {
    return this.exclusive(id, async () => {
      const record = await this.options.store.get(id);
      const next: ReviewRecord = withEdits(record, edits);
      return publicItem(await this.options.store.update(next));
    });
  }

  remove(id: string): Promise<{ id: string }> {
    return this.exclusive(id, async () => {
      const record = await this.options.store.get(id);
      await this.options.store.remove(record);
      this.options.log.info('capture deleted in review', { id, medium: record.medium });
      return { id };
    });
  }

  /**
   * Sends each capture in turn: wrapped with its reviewed values, spooled in the outbox (durable),
   * then removed from review. One capture's failure (no body site in wound care, a full disk) is
   * reported for it and leaves it in review; the others still go.
   */
  async send(ids: readonly string[]): Promise<SendOutcome> {
    const outcome: SendOutcome = { sent: [], failed: [] };
    for (const id of new Set(ids)) {
      try {
        const saved = await this.exclusive(id, () => this.sendOne(id));
        outcome.sent.push({ id, saved });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        outcome.failed.push({ id, message });
      }
    }
    return outcome;
  }

  private async sendOne(id: string) {
    const { store, capture, department } = this.options;
    const record = await store.get(id);
    const needs = regionNeededBy(record, department);
    if (needs && !record.region)
      throw new StationError(`choose the body site before sending: ${needs} need it`);
    // The UID is recorded before the outbox can take the instance (finishHandoffs).
    const sopInstanceUid = newUid();
    const marked = await store.update({ ...record, handoff: { sopInstanceUid } });
    const reviewed = {
      item: record.item,
      medium: record.medium,
      capturedAt: record.capturedAt,
      dermoscope: record.dermoscope,
      ...(record.region ? { region: record.region } : {}),
      ...(record.notes ? { notes: record.notes } : {}),
      ...(record.woundLabel ? { woundLabel: record.woundLabel } : {}),
      ...(record.dermoscopy ? { dermoscopy: record.dermoscopy } : {}),
    };
    const saved = await capture.send(store.mediaPath(record), reviewed, sopInstanceUid);
    // The instance is durable in the outbox now. A crash before the next line leaves the capture
    // in review, marked: the next start finds its UID in the outbox and finishes the removal.
    await store.remove(marked);
    return saved;
  }

  private exclusive<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = this.busy.get(id) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    const settled = next.catch(() => undefined);
    this.busy.set(id, settled);
    void settled.then(() => {
      if (this.busy.get(id) === settled) this.busy.delete(id);
    });
    return next;
  }
}

function checkedRegion<T extends { code: string }>(region: T): T {
  if (!findRegion(region.code))
    throw new StationError(
      `region: ${region.code} is not a body site of resources/anatomy/regions.json`,
    );
  return region;
}

function withEdits(record: ReviewRecord, edits: ReviewEdits): ReviewRecord {
  const next: Record<string, unknown> = { ...record };
  if (edits.region === null) delete next.region;
  else if (edits.region) next.region = checkedRegion(edits.region);
  for (const key of ['notes', 'woundLabel'] as const) {
    const value = edits[key];
    // Kept as typed (the screen shows it so); only blank clears it.
    if (value?.trim() === '') delete next[key];
    else if (value !== undefined) next[key] = value;
  }
  if (edits.dermoscopy) {
    if (!record.dermoscope)
      throw new StationError('dermoscopy: only a still taken through the dermoscope has optics');
    next.dermoscopy = edits.dermoscopy;
  }
  return next as ReviewRecord;
}

/** The record as it was before Send marked it. */
function withoutHandoff(record: ReviewRecord): ReviewRecord {
  const copy: { -readonly [K in keyof ReviewRecord]?: ReviewRecord[K] } = { ...record };
  delete copy.handoff;
  return copy as ReviewRecord;
}

/** The record without the store's file name (zod drops keys the shape does not name). */
function publicItem(record: ReviewRecord): ReviewItem {
  return ReviewItem.parse(record);
}
