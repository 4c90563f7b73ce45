/**
 * An outside PDF found on a patient disc, imported into the outside study it belongs to (issue 8,
 * item 5): wrapped as Encapsulated PDF (PS3.3 A.45.1) by core/dicom's builder, with the local
 * patient the person chose (the same coercion the images get) and the outside study's Study
 * Instance UID, so the archive files the letter with the images. The document gets a series of its
 * own, numbered after the study's highest series on the disc.
 *
 * The medium is read once: into a private copy beside the output, hashed on the way, and wrapped
 * from that copy only if its size and SHA-256 are the survey's (findPdfs.ts). A disc swapped at
 * the same mount point since it was read (another patient's REPORT.PDF under the same name) is
 * refused, and the bytes checked are the bytes wrapped.
 */
import { open, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CaptureSession, InputRejectedError, wrapCapture, type WrapResult } from '../dicom';
import type { EquipmentContext, Patient } from '../dicom/context';
import { openPdf, readHashed, type FoundPdf } from './findPdfs';
import type { StudyGroup } from './groupInstances';
import { MediaFileError } from './types';

export interface OutsidePdfRequest {
  /** The PDF on the medium as the survey found it (confined to it, with size and hash). */
  readonly pdf: Pick<FoundPdf, 'path' | 'bytes' | 'sha256'>;
  readonly patient: Patient;
  readonly study: StudyGroup;
  /** The local import order's accession, else the outside study's. */
  readonly accessionNumber?: string;
  readonly equipment: EquipmentContext;
  /** Where the instance is written (temp + rename beside it). */
  readonly output: string;
  readonly now?: Date;
}

export const PDF_CHANGED_REASON = 'changed since the disc was read — was the disc swapped?';

/**
 * Copies the surveyed PDF to `copy` (created exclusively, owner-only), reading the medium once.
 * Throws MediaFileError when the bytes are not the survey's (the copy removed), or the system
 * error of the read.
 */
async function copySurveyed(pdf: OutsidePdfRequest['pdf'], copy: string): Promise<void> {
  const source = await openPdf(pdf.path);
  try {
    const target = await open(copy, 'wx', 0o600);
    try {
      // One byte past the surveyed size: a longer file is a different file.
      const read = await readHashed(source, pdf.bytes + 1, async (chunk) => {
        await target.write(chunk);
      });
      if (read.bytes !== pdf.bytes || read.sha256 !== pdf.sha256)
        throw new MediaFileError(PDF_CHANGED_REASON);
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}

/**
 * Throws MediaFileError (PDF_CHANGED_REASON) when the file on the medium is not the surveyed one,
 * InputRejectedError (file + reason) when it is not a PDF, the system error when it cannot be
 * read; nothing is left behind in any case.
 */
export async function importOutsidePdf(request: OutsidePdfRequest): Promise<WrapResult> {
  const { study } = request;
  const copy = join(dirname(request.output), `.${basename(request.output)}.pdf`);
  try {
    await copySurveyed(request.pdf, copy);
    const highest = Math.max(0, ...study.series.map((s) => Number(s.seriesNumber) || 0));
    const session = new CaptureSession({
      patient: request.patient,
      study: {
        studyInstanceUid: study.studyInstanceUid,
        ...(study.description ? { studyDescription: study.description } : {}),
        accessionNumber: request.accessionNumber ?? study.accessionNumber,
      },
      equipment: request.equipment,
      firstSeriesNumber: highest + 1,
    });
    const title = basename(request.pdf.path)
      .replace(/\.pdf$/i, '')
      .slice(0, 64);
    const context = session.next({
      seriesKey: 'outside-pdf',
      capturedAt: request.now ?? new Date(),
      documentTitle: title,
      seriesDescription: 'Outside document',
    });
    return await wrapCapture({ input: copy, kind: 'pdf', context, output: request.output });
  } catch (error) {
    // Name the file on the medium, not the private copy the reason was found in.
    if (error instanceof InputRejectedError && error.file === copy)
      throw new InputRejectedError(request.pdf.path, error.reason);
    throw error;
  } finally {
    await rm(copy, { force: true });
  }
}
