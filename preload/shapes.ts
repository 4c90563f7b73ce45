/**
 * Payload shapes shared by the contract's parts (../contract.ts and ./features/*): zod schemas
 * that are the single source of truth for the types both sides use. No Electron or Node imports.
 */
import { z } from 'zod';

// ---- shared shapes --------------------------------------------------------------------------

/** PS3.5 6.2 PN: up to three component groups (alphabetic, ideographic, phonetic), as Unicode. */
export const PersonName = z.object({
  alphabetic: z.string(),
  ideographic: z.string().optional(),
  phonetic: z.string().optional(),
});
export type PersonName = z.infer<typeof PersonName>;

const DicomDateRange = z
  .string()
  .regex(/^\d{8}(-\d{8})?$/, 'a date is YYYYMMDD or YYYYMMDD-YYYYMMDD');

export const Patient = z.object({
  name: PersonName,
  id: z.string(),
  issuer: z.string().optional(),
  birthDate: z.string().optional(),
  sex: z.enum(['M', 'F', 'O', '']).optional(),
});
export type Patient = z.infer<typeof Patient>;

/** One Scheduled Procedure Step from the modality worklist (PS3.4 K.6.1). */
export const WorklistItem = z.object({
  /**
   * Stable key for the UI, unique per patient and procedure: issuer, Patient ID, Study Instance
   * UID, accession, requested procedure and step (worklistItem.ts).
   */
  key: z.string(),
  patient: Patient,
  accessionNumber: z.string(),
  studyInstanceUid: z.string(),
  requestedProcedureId: z.string().optional(),
  requestedProcedureDescription: z.string().optional(),
  referringPhysician: PersonName.optional(),
  scheduledStepId: z.string().optional(),
  scheduledStepDescription: z.string().optional(),
  scheduledDate: z.string().optional(),
  scheduledTime: z.string().optional(),
  modality: z.string().optional(),
  scheduledStationAeTitle: z.string().optional(),
  /** Encounter-based imaging: no order, a study created by this station (IHE EBIW). */
  unscheduled: z.boolean().optional(),
});
export type WorklistItem = z.infer<typeof WorklistItem>;

export const WorklistQuery = z
  .object({
    /** Scheduled date or range; default today. */
    date: DicomDateRange.optional(),
    /** Free text matched against name, patient ID and accession number. */
    text: z.string().max(64).optional(),
    /** Modality to match (ES, XC, DMS…); absent: the department's (ES, XC, DMS); empty string: any. */
    modality: z
      .string()
      .regex(/^[A-Z0-9]{0,16}$/, 'a modality is a code such as ES, XC or DMS')
      .optional(),
    /** Scheduled Station AE Title; absent: this station's own; empty string: any station. */
    stationAeTitle: z.string().max(16).optional(),
    /** Exact Patient ID (a scanned wristband). */
    patientId: z.string().max(64).optional(),
  })
  .strict();
export type WorklistQuery = z.infer<typeof WorklistQuery>;

export const StationInfo = z.object({
  name: z.string(),
  aeTitle: z.string(),
  institution: z.string(),
  department: z.enum(['endoscopy', 'dermatology', 'woundcare', 'general']),
  version: z.string(),
  /** True when the worklist is the built-in demo list (no worklist server configured). */
  demoWorklist: z.boolean(),
  /** True when the only destination is the built-in local archive folder. */
  demoDestination: z.boolean(),
  destinations: z.array(z.object({ name: z.string(), type: z.string(), demo: z.boolean() })),
  dataFolder: z.string(),
  /** Keyboard-wedge scanner settings the renderer needs to tell a scan from typing. */
  scanner: z.object({
    prefix: z.string(),
    suffix: z.string(),
    idPattern: z.string(),
    maxKeyIntervalMs: z.number(),
  }),
});
export type StationInfo = z.infer<typeof StationInfo>;

export const WorklistResult = z.object({
  items: z.array(WorklistItem),
  /** Where the list came from, for the UI's label ("DEMO" or the server's AE title). */
  source: z.string(),
  demo: z.boolean(),
});
export type WorklistResult = z.infer<typeof WorklistResult>;

/** Body site as a SNOMED CT code from resources/anatomy/regions.json, with laterality if paired. */
export const BodySite = z
  .object({
    code: z.string().regex(/^\d{4,18}$/, 'a SNOMED CT concept id'),
    laterality: z.enum(['L', 'R', 'B']).optional(),
  })
  .strict();
export type BodySite = z.infer<typeof BodySite>;

/** A still from the live camera, bound to the patient shown when the shutter was pressed. */
export const StillCapture = z
  .object({
    item: WorklistItem,
    /** JPEG bytes, base64 (the same over Electron IPC and the browser-mode WebSocket). */
    jpegBase64: z
      .string()
      .min(4)
      .max(60_000_000)
      .regex(/^[A-Za-z0-9+/]+=*$/, 'JPEG bytes in base64'),
    /** The moment of capture (Content Date/Time), ISO 8601. */
    capturedAt: z.iso.datetime({ offset: true }),
    /** Dermatology: the still came through a dermoscope (Dermoscopic Photography, DMS). */
    dermoscope: z.boolean().optional(),
    notes: z.string().max(1024).optional(),
    region: BodySite.optional(),
  })
  .strict();
export type StillCapture = z.infer<typeof StillCapture>;

export const SavedCapture = z.object({
  sopInstanceUid: z.string(),
  sopClassUid: z.string(),
  studyInstanceUid: z.string(),
  seriesNumber: z.number(),
  instanceNumber: z.number(),
  patientId: z.string(),
  capturedAt: z.string(),
});
export type SavedCapture = z.infer<typeof SavedCapture>;

/** The outbox as the UI shows it (issue 7): one honest sentence, counts, and each item. */
export const OutboxStatus = z.object({
  /** e.g. "3 waiting — pacs unreachable since 10:42", "all sent", "outbox empty". */
  text: z.string(),
  /** False when another process (the CLI) holds the spool and sends. */
  sending: z.boolean(),
  unsent: z.number(),
  needsAttention: z.number(),
  /** Finished deliveries over all deliveries, 0…1. */
  progress: z.number(),
  destinations: z.array(
    z.object({
      name: z.string(),
      demo: z.boolean(),
      paused: z.boolean(),
      counts: z.record(z.string(), z.number()),
      failingSince: z.string().optional(),
      lastProblem: z.string().optional(),
      /** A control of the whole destination asked here, not yet applied by the process that sends. */
      controlPending: z.boolean().optional(),
    }),
  ),
  items: z.array(
    z.object({
      jobId: z.string(),
      sopInstanceUid: z.string(),
      progress: z.number(),
      /** A control of this item asked here, not yet applied by the process that sends. */
      controlPending: z.boolean().optional(),
      deliveries: z.record(
        z.string(),
        z.object({ state: z.string(), attempts: z.number(), problem: z.string().optional() }),
      ),
    }),
  ),
});
export type OutboxStatus = z.infer<typeof OutboxStatus>;

/** Video recording (issue 6): chunks are spooled to disk as they arrive, never held in memory. */
export const RecordingStart = z
  .object({
    item: WorklistItem,
    /** The MediaRecorder's MIME type, e.g. video/mp4;codecs=avc1.640028. */
    mimeType: z.string().max(100),
    /** Required by the video IODs (PS3.3 C.8.12.1 Anatomic Region Sequence). */
    region: BodySite,
    /** Start of recording, ISO 8601 (Content Date/Time). */
    startedAt: z.iso.datetime({ offset: true }),
  })
  .strict();
export type RecordingStart = z.infer<typeof RecordingStart>;

export const RecordingChunk = z
  .object({
    recordingId: z.uuid(),
    /** 0, 1, 2…: a gap or repeat is refused, so the file on disk is exactly what was recorded. */
    seq: z.number().int().nonnegative(),
    dataBase64: z
      .string()
      .max(64_000_000)
      .regex(/^[A-Za-z0-9+/]*=*$/, 'chunk bytes in base64'),
  })
  .strict();
export type RecordingChunk = z.infer<typeof RecordingChunk>;

export const RecordingRef = z.object({ recordingId: z.uuid() }).strict();

/** Pause, resume, retry now or cancel — one item at one destination, or all of a destination. */
export const OutboxControl = z
  .object({
    action: z.enum(['pause', 'resume', 'retry', 'cancel']),
    destination: z.string().min(1).max(32),
    jobId: z.string().min(1).max(64).optional(),
    /** Cancel only: the person confirmed (clinical images are never dropped by a click alone). */
    confirmed: z.literal(true).optional(),
  })
  .strict();
export type OutboxControl = z.infer<typeof OutboxControl>;

export const PedalAction = z.enum(['still', 'video-toggle', 'marker']);
export type PedalAction = z.infer<typeof PedalAction>;

/** Foot pedals and HID scanners as the settings screen shows them (issue 6, item 4). */
export const HidStatus = z.object({
  /** Why HID devices cannot be used at all (e.g. a missing system library), when so. */
  unavailable: z.string().optional(),
  devices: z.array(
    z.object({
      name: z.string(),
      role: z.string(),
      state: z.string(),
      message: z.string().optional(),
    }),
  ),
  bindings: z.array(z.object({ button: z.string(), action: PedalAction })),
});
export type HidStatus = z.infer<typeof HidStatus>;

/**
 * A keyboard-type pedal: the OS delivers its presses as key events, so it is bound by the key's
 * KeyboardEvent.code (F13–F24 are what such pedals usually send), learned in settings.
 */
export const BindPedalKey = z
  .object({
    code: z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,31}$/, 'a key code such as F14 or KeyB'),
    action: PedalAction,
  })
  .strict();

export const LearnPedal = z
  .object({ action: PedalAction, timeoutMs: z.number().int().min(1000).max(60_000).optional() })
  .strict();

export const UnscheduledRequest = z.object({ patient: Patient }).strict();
