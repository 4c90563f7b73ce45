/**
 * Contract part for patient CD/DVD import (issue 8): media found, study browser, reconciliation,
 * sending and the closing report. Spread into `methods`/`events` in ../contract.ts.
 *
 * A person opens a medium (a detected disc or a typed absolute folder), which gives an import
 * session with an id; every later call names the session and refers to what it found by key
 * (outside patient key, Study Instance UID, PDF id), never by a path, so nothing from the renderer
 * can point the station at a file outside the medium.
 */
import { z } from 'zod';
import { Patient } from '../shapes';

/** Absolute on the station machine: /media/…, /Volumes/…, or a Windows drive (D:\…). */
const AbsolutePath = z
  .string()
  .min(1)
  .max(1024)
  .regex(/^(\/|[A-Za-z]:[\\/])/, 'the folder must be an absolute path on the station computer')
  .refine((p) => !p.includes('\0'), 'a path cannot contain NUL');

const SessionId = z.uuid();

/** A folder on the station computer as the folder browser shows it (names only, no files). */
export const FolderListing = z.object({
  path: z.string(),
  parent: z.string().optional(),
  folders: z.array(z.string()),
  /** The folder had more subfolders than the browser lists. */
  truncated: z.boolean(),
});
export type FolderListing = z.infer<typeof FolderListing>;

export const DetectedMedium = z.object({
  root: z.string(),
  label: z.string(),
  kind: z.enum(['optical', 'removable']),
  filesystem: z.string(),
});
export type DetectedMedium = z.infer<typeof DetectedMedium>;

export const MediaList = z.object({
  media: z.array(DetectedMedium),
  /** Why media cannot be watched on this machine, when so (the folder route still works). */
  unavailable: z.string().optional(),
});
export type MediaList = z.infer<typeof MediaList>;

const FileRefusal = z.object({ path: z.string(), reason: z.string() });

export const OutsideStudy = z.object({
  studyInstanceUid: z.string(),
  date: z.string(),
  description: z.string(),
  accessionNumber: z.string(),
  modalities: z.array(z.string()),
  seriesCount: z.number(),
  instanceCount: z.number(),
});
export type OutsideStudy = z.infer<typeof OutsideStudy>;

export const OutsidePatient = z.object({
  key: z.string(),
  patientId: z.string(),
  issuerOfPatientId: z.string(),
  /** The first instance's values; `seen` has every distinct one the disc holds for this ID. */
  name: z.string(),
  birthDate: z.string(),
  sex: z.string(),
  seen: z.object({
    names: z.array(z.string()),
    birthDates: z.array(z.string()),
    sexes: z.array(z.string()),
  }),
  studies: z.array(OutsideStudy),
});
export type OutsidePatient = z.infer<typeof OutsidePatient>;

export const OutsidePdf = z.object({
  /** Session-scoped id; the path is shown relative to the medium's root. */
  id: z.string(),
  path: z.string(),
  bytes: z.number(),
});
export type OutsidePdf = z.infer<typeof OutsidePdf>;

export const MediaSession = z.object({
  sessionId: SessionId,
  root: z.string(),
  dicomdir: z.string().optional(),
  /** Set when the medium has a DICOMDIR that could not be used, so it was scanned. */
  scannedBecause: z.string().optional(),
  patients: z.array(OutsidePatient),
  pdfs: z.array(OutsidePdf),
  refused: z.array(FileRefusal),
  skipped: z.array(FileRefusal),
});
export type MediaSession = z.infer<typeof MediaSession>;

export const ThumbnailAnswer = z.object({
  jpegBase64: z.string().optional(),
  reason: z.string().optional(),
});

export const MismatchShape = z.object({
  attribute: z.enum(['family name', 'given name', 'birth date', 'sex']),
  outside: z.string().max(400),
  local: z.string().max(400),
});
export type MismatchShape = z.infer<typeof MismatchShape>;

export const Assignment = z
  .object({
    outsideKey: z.string().min(1).max(200),
    patient: Patient,
    /** The local import order (IHE IRWF): coerces Accession Number when given. */
    accessionNumber: z.string().max(16).optional(),
    /**
     * The differences the person saw side by side and confirmed, as checkReconciliation gave
     * them: the import refuses unless every difference it finds now is among them, so a local
     * patient changed after the confirmation is asked about again.
     */
    acceptMismatch: z.array(MismatchShape).max(512).optional(),
  })
  .strict();
export type Assignment = z.infer<typeof Assignment>;

export const StartImport = z
  .object({
    sessionId: SessionId,
    assignments: z.array(Assignment).min(1).max(32),
    /** Outside PDFs to import as Encapsulated PDF, each into a study of an assigned patient. */
    pdfs: z
      .array(z.object({ id: z.string().max(32), studyInstanceUid: z.string().max(64) }).strict())
      .max(256)
      .optional(),
  })
  .strict();
export type StartImport = z.infer<typeof StartImport>;

export const ImportedItem = z.object({
  /** Path relative to the medium's root. */
  source: z.string(),
  sopInstanceUid: z.string(),
  kind: z.enum(['image', 'pdf']),
  /** Outbox delivery state over all destinations: queued, sending, sent, committed, needs-attention, cancelled… */
  state: z.string(),
  problem: z.string().optional(),
});

export const ImportReportShape = z.object({
  sessionId: SessionId,
  /** True once every imported file is sent (and committed where asked) or needs attention. */
  finished: z.boolean(),
  phase: z.enum(['idle', 'importing', 'sending', 'done']),
  /** Some destination asks for storage commitment (PS3.4 J). */
  commitExpected: z.boolean(),
  imported: z.array(ImportedItem),
  /** Files that could have been imported and were not, each with its reason. */
  skipped: z.array(FileRefusal),
  /** Not DICOM and not offered (viewer programs, autorun files): counted, not listed as skipped. */
  passedOver: z.number(),
  counts: z.object({
    imported: z.number(),
    skipped: z.number(),
    sent: z.number(),
    committed: z.number(),
    failed: z.number(),
    /** Delivery cancelled by a person in the outbox: finished, never sent. */
    cancelled: z.number(),
  }),
  scannedBecause: z.string().optional(),
});
export type ImportReportShape = z.infer<typeof ImportReportShape>;

export const ImportProgress = z.object({
  sessionId: SessionId,
  phase: z.enum(['importing', 'sending', 'done']),
  /** Files coerced and queued (importing) or delivered (sending), of `total`. */
  done: z.number(),
  total: z.number(),
});
export type ImportProgress = z.infer<typeof ImportProgress>;

const SessionRef = z.object({ sessionId: SessionId }).strict();

export const mediaImportMethods = {
  /** Discs and USB drives mounted now (also pushed as `mediaChanged`). */
  listMedia: { input: z.object({}).strict().optional(), output: MediaList },
  /** "Import folder…": the subfolders of an absolute folder (default: the home folder). */
  listFolders: {
    input: z.object({ path: AbsolutePath.optional() }).strict(),
    output: FolderListing,
  },
  /** Reads a detected medium or an absolute folder (headers only) and opens an import session. */
  openMedia: { input: z.object({ root: AbsolutePath }).strict(), output: MediaSession },
  /** A preview of a representative image of one study, or why there is none. */
  getStudyThumbnail: {
    input: z.object({ sessionId: SessionId, studyInstanceUid: z.string().max(64) }).strict(),
    output: ThumbnailAnswer,
  },
  /** Differences between an outside patient and the chosen local patient (empty: they agree). */
  checkReconciliation: {
    input: z
      .object({ sessionId: SessionId, outsideKey: z.string().max(200), patient: Patient })
      .strict(),
    output: z.object({ mismatches: z.array(MismatchShape) }),
  },
  /** Starts coercing and queueing; progress arrives as `mediaImportProgress` events. */
  startImport: { input: StartImport, output: ImportReportShape },
  /** The closing report, with delivery and commitment states as the outbox has them now. */
  getImportReport: { input: SessionRef, output: ImportReportShape },
  closeMedia: { input: SessionRef, output: z.object({ closed: z.boolean() }) },
} as const;

export const mediaImportEvents = {
  /** A disc or USB drive was inserted or removed. */
  mediaChanged: MediaList,
  mediaImportProgress: ImportProgress,
  /** The report changed (files queued, sent, committed, failed). */
  mediaImportReport: ImportReportShape,
} as const;
