/**
 * Shared shapes of media import (IHE Import Reconciliation Workflow, PS3.10 media, PS3.11 PDI).
 * Every path handed out here is absolute and has been checked to lie inside the media root.
 */
import { open, type FileHandle } from 'node:fs/promises';

/**
 * Opens a file for reading. Injectable so a test can record every path the reader opens (the
 * contract: no file outside the media root is ever passed to it).
 */
export type OpenFile = (path: string) => Promise<FileHandle>;

export const openForReading: OpenFile = (path) => open(path, 'r');

/** A file that was not imported, and why (shown to the user and printed by the CLI). */
export interface Refusal {
  /** Path as found on the medium (absolute when resolved, else the reference as written). */
  readonly path: string;
  readonly reason: string;
}

/** What the station needs from one instance's header (top-level elements only, PS3.3). */
export interface InstanceHeader {
  readonly path: string;
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly transferSyntaxUid: string;
  readonly patientId: string;
  readonly issuerOfPatientId: string;
  readonly patientName: string;
  readonly patientBirthDate: string;
  readonly patientSex: string;
  readonly studyInstanceUid: string;
  readonly studyDate: string;
  readonly studyDescription: string;
  readonly accessionNumber: string;
  readonly seriesInstanceUid: string;
  readonly seriesNumber: string;
  readonly seriesDescription: string;
  readonly modality: string;
  readonly instanceNumber: string;
}

/** Thrown for a file that cannot be read safely; the message is the user-facing reason. */
export class MediaFileError extends Error {
  override readonly name = 'MediaFileError';
}
