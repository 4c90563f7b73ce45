/**
 * Contract part for review before sending (issue 6, item 5): every capture is first made durable
 * in the station's review store, edited there (body site, notes, wound label, dermoscope optics),
 * deleted or sent; only Send wraps it as DICOM and hands it to the outbox. Spread into
 * `methods`/`events` in ../contract.ts.
 */
import { z } from 'zod';
import { BodySite, RecordingRef, SavedCapture, StillCapture, WorklistItem } from '../shapes';

/**
 * Dermoscope optics (PS3.3 C.8.12.13 Dermoscopic Image Module): Light Source Polarization
 * (0016,1001), Contact Method (0016,1003), Immersion Media (0016,1004, contact only) and Optical
 * Magnification Factor (0016,1005), with the module's enumerated values.
 */
export const DermoscopySettings = z
  .object({
    polarization: z.enum(['POLARIZED', 'NON_POLARIZED']).optional(),
    contact: z.enum(['CONTACT', 'NON_CONTACT']).optional(),
    immersion: z.enum(['ULTRASOUND_GEL', 'ALCOHOL', 'MINERAL_OIL', 'PLASTIC_CAP']).optional(),
    /** e.g. 10 for a 10× dermoscope; DS, so at most 16 characters when written. */
    magnification: z.number().positive().max(1000).optional(),
  })
  .strict();
export type DermoscopySettings = z.infer<typeof DermoscopySettings>;

/**
 * Series Description is LO (PS3.5 6.2): at most 64 characters, no backslash, no control
 * characters. A wound label goes there (see main/core/capture/ReviewService.ts for why).
 */
const WoundLabel = z
  .string()
  .max(64, 'a wound label has at most 64 characters (DICOM LO)')
  .regex(/^[^\\\p{Cc}]*$/u, 'a wound label has no backslash or control characters');

/** What review may change; `region: null` clears the body site, an empty string clears text. */
export const ReviewEdits = z
  .object({
    region: BodySite.nullable().optional(),
    notes: z.string().max(1024).optional(),
    woundLabel: WoundLabel.optional(),
    dermoscopy: DermoscopySettings.optional(),
  })
  .strict();
export type ReviewEdits = z.infer<typeof ReviewEdits>;

/** One capture waiting in the review store, bound to the patient shown at its shutter. */
export const ReviewItem = z.object({
  id: z.uuid(),
  item: WorklistItem,
  medium: z.enum(['still', 'video']),
  /** ISO 8601: the shutter, or the start of the recording. */
  capturedAt: z.string(),
  bytes: z.number(),
  /** Dermatology: taken through the dermoscope (Dermoscopic Photography, DMS). */
  dermoscope: z.boolean(),
  region: BodySite.optional(),
  notes: z.string().optional(),
  /**
   * A video the station recovered at start: it was left behind when the station closed while
   * recording, so its last seconds may be missing. Shown in review; not written into the object.
   */
  recovered: z.literal(true).optional(),
  woundLabel: z.string().optional(),
  dermoscopy: DermoscopySettings.optional(),
});
export type ReviewItem = z.infer<typeof ReviewItem>;

/**
 * Which captures cannot be sent without a body site, in words for the message (undefined: it may
 * go without): wound photos, whose follow-up series are compared by site, and dermoscope images
 * and videos, whose builders require the Anatomic Region Sequence (main/core/dicom/builders).
 * The review strip disables Send by this rule and the station refuses by it.
 */
export function regionNeededBy(
  capture: Pick<ReviewItem, 'medium' | 'dermoscope'>,
  department: 'endoscopy' | 'dermatology' | 'woundcare' | 'general',
): string | undefined {
  if (capture.medium === 'video') return 'videos';
  if (capture.dermoscope) return 'dermoscope images';
  return department === 'woundcare' ? 'wound photos' : undefined;
}

const ReviewRef = z.object({ id: z.uuid() }).strict();

export const SendOutcome = z.object({
  sent: z.array(z.object({ id: z.string(), saved: SavedCapture })),
  failed: z.array(z.object({ id: z.string(), message: z.string() })),
});
export type SendOutcome = z.infer<typeof SendOutcome>;

export const reviewMethods = {
  /** Makes a still durable in the review store (fsync + rename); resolves only once it is. */
  reviewStill: { input: StillCapture, output: ReviewItem },
  /** Finishes a recording, remuxes it to progressive MP4 and holds it for review. */
  finishRecording: { input: RecordingRef, output: ReviewItem },
  /** Every capture in review, oldest first, after a restart too. */
  listReview: { input: z.object({}).strict().optional(), output: z.array(ReviewItem) },
  /** A still's JPEG, for the thumbnail strip after a restart. */
  reviewPreview: {
    input: ReviewRef,
    output: z.object({ mimeType: z.literal('image/jpeg'), dataBase64: z.string() }),
  },
  editReview: {
    input: z.object({ id: z.uuid(), edits: ReviewEdits }).strict(),
    output: ReviewItem,
  },
  /** Deletes a capture from review for good; the person must have confirmed. */
  deleteReview: {
    input: z.object({ id: z.uuid(), confirmed: z.literal(true) }).strict(),
    output: z.object({ id: z.string() }),
  },
  /** Wraps each capture as DICOM and spools it in the outbox; each succeeds or fails alone. */
  sendReviewed: {
    input: z.object({ ids: z.array(z.uuid()).min(1).max(500) }).strict(),
    output: SendOutcome,
  },
} as const;
export const reviewEvents = {
  /**
   * A capture entered review, was edited, or left it (sent or deleted), from any window of the
   * station: every open window keeps its strip in step (two monitors, or a browser beside the app).
   */
  reviewChanged: z.object({
    id: z.uuid(),
    /** The capture as the station now holds it; absent once it left review. */
    item: ReviewItem.optional(),
    removed: z.enum(['sent', 'deleted']).optional(),
    /** With `removed: 'sent'`: the instance the outbox holds. */
    saved: SavedCapture.optional(),
  }),
  /**
   * A finished recording being made into a standard MP4 (remuxed, or re-encoded where the stream
   * needs it): how far along, and an estimate of the seconds left once one can be made.
   */
  videoProgress: z.object({
    recordingId: z.uuid(),
    fraction: z.number().min(0).max(1),
    secondsLeft: z.number().nonnegative().optional(),
  }),
} as const;
