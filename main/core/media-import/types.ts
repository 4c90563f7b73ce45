/**
 * Shared shapes of media import (IHE Import Reconciliation Workflow, PS3.10 media, PS3.11 PDI).
 * Every path handed out here is absolute and has been checked to lie inside the media root.
 */
import { constants, fstatSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/**
 * Opens a file for reading. Injectable so a test can record every path the reader opens (the
 * contract: no file outside the media root is ever passed to it).
 */
export type OpenFile = (path: string) => Promise<FileHandle>;

/**
 * Read-only and non-blocking: opening a FIFO for reading waits for a writer, and a disc (Rock
 * Ridge) or a folder can hold one under a DICOMDIR's file name; four such opens would hold all
 * of Node's file threads, the outbox's too. O_NONBLOCK changes nothing for regular files.
 * O_NOFOLLOW: every path opened is a realpath checked to lie on the medium (resolveOnMedia.ts),
 * so its last component is no link; one that became a link since is refused (ELOOP), not
 * followed off the medium. (Not on Windows, which has neither flag.)
 */
export const SOURCE_OPEN_FLAGS =
  constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

/**
 * Throws MediaFileError unless the open descriptor is a regular file (fstat of an open descriptor
 * touches no disk, so it is made synchronously). The readers refuse anything else before opening
 * it (resolveOnMedia.ts, readMedia.ts' scan); this catches a file replaced in between.
 */
export function assertRegularFile(fd: number): void {
  if (!fstatSync(fd).isFile())
    throw new MediaFileError('not a regular file (a pipe, device or socket): not read');
}

export const openForReading: OpenFile = async (path) => {
  const handle = await open(path, SOURCE_OPEN_FLAGS);
  try {
    assertRegularFile(handle.fd);
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
};

/** A file that was not imported, and why (shown to the user and printed by the CLI). */
export interface Refusal {
  /** Path as found on the medium (absolute when resolved, else the reference as written). */
  readonly path: string;
  readonly reason: string;
}

/** What the station needs from one instance's header (top-level elements only, PS3.3). */
export interface InstanceHeader {
  readonly path: string;
  /** Size of the file in bytes (two copies of an instance must agree on it). */
  readonly fileSize: number;
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
