/**
 * An outside PDF found on a patient disc, imported into the outside study it belongs to (issue 8,
 * item 5): wrapped as Encapsulated PDF (PS3.3 A.45.1) by core/dicom's builder, with the local
 * patient the person chose (the same coercion the images get) and the outside study's Study
 * Instance UID, so the archive files the letter with the images. The document gets a series of its
 * own, numbered after the study's highest series on the disc.
 */
import { basename } from 'node:path';
import { CaptureSession, wrapCapture, type WrapResult } from '../dicom';
import type { EquipmentContext, Patient } from '../dicom/context';
import type { StudyGroup } from './groupInstances';

export interface OutsidePdfRequest {
  /** The PDF on the medium (already confined to it). */
  readonly pdf: string;
  readonly patient: Patient;
  readonly study: StudyGroup;
  /** The local import order's accession, else the outside study's. */
  readonly accessionNumber?: string;
  readonly equipment: EquipmentContext;
  /** Where the instance is written (temp + rename beside it). */
  readonly output: string;
  readonly now?: Date;
}

/** Throws InputRejectedError (file + reason) when the file is not a PDF; nothing is left behind. */
export async function importOutsidePdf(request: OutsidePdfRequest): Promise<WrapResult> {
  const { study } = request;
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
  const title = basename(request.pdf)
    .replace(/\.pdf$/i, '')
    .slice(0, 64);
  const context = session.next({
    seriesKey: 'outside-pdf',
    capturedAt: request.now ?? new Date(),
    documentTitle: title,
    seriesDescription: 'Outside document',
  });
  return wrapCapture({ input: request.pdf, kind: 'pdf', context, output: request.output });
}
