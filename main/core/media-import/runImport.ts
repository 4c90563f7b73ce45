/**
 * One import run's work (MediaImportService.start): outside images coerced several at a time in
 * the media worker and queued (importPipeline.ts), then the chosen outside PDFs wrapped one by one
 * (importPdf.ts); each file is reported imported or skipped with its reason, in order, once its
 * delivery to the outbox resolved. Once the medium is reported removed, nothing more is read from
 * it: each file not yet started is skipped with DISC_REMOVED_REASON.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Assignment } from '../../../preload/features/mediaImport';
import type { EquipmentContext } from '../dicom/context';
import type { Part10Info } from '../dimse/part10';
import type { FileKind } from '../dimse/sendFiles';
import { fileErrorReason } from './fileErrorReason';
import { kindsOf } from './fileKinds';
import type { FoundPdf } from './findPdfs';
import type { StudyGroup } from './groupInstances';
import { importOutsidePdf } from './importPdf';
import { runImportPipeline } from './importPipeline';
import type { ImportedFile } from './importReport';
import { localPatientOf } from './localPatient';
import { startMediaWorker } from './mediaWorker';
import { identityOf } from './surveyedIdentity';
import { MediaFileError, type InstanceHeader, type OpenFile, type Refusal } from './types';

/** Why a file was not imported once its disc was unmounted mid-import. */
export const DISC_REMOVED_REASON =
  'not imported: the disc was removed during the import (insert it and import it again)';

export interface RunWork {
  readonly images: readonly { instance: InstanceHeader; assignment: Assignment }[];
  readonly pdfs: readonly { pdf: FoundPdf; study: StudyGroup; assignment: Assignment }[];
}

export interface RunContext {
  /** This run's own work folder (created here, removed at the end). */
  readonly folder: string;
  readonly modifyingSystem: string;
  readonly equipment: EquipmentContext;
  readonly deliver: (file: string, part10?: Part10Info) => Promise<void>;
  readonly announce?: ((kinds: readonly FileKind[]) => () => void) | undefined;
  readonly openFile?: OpenFile | undefined;
  /** A path as the report shows it (relative to the medium's root). */
  readonly shown: (path: string) => string;
  /** True once the medium was unmounted. */
  readonly removed: () => boolean;
  /** Files settled so far (imported or skipped). */
  readonly progress: (done: number) => void;
}

/** Fills `imported` and `skipped`; throws only when the work folder cannot be used. */
export async function runImport(
  work: RunWork,
  context: RunContext,
  out: { readonly imported: ImportedFile[]; readonly skipped: Refusal[] },
): Promise<void> {
  const { folder } = context;
  await mkdir(folder, { recursive: true, mode: 0o700 });
  // Named by position, never by a UID read from the disc (which could hold '/' or '..').
  const targetOf = (i: number) => join(folder, `${String(i + 1).padStart(6, '0')}.dcm`);
  const assertPresent = () => {
    if (context.removed()) throw new MediaFileError(DISC_REMOVED_REASON);
  };
  const worker = startMediaWorker({ openFile: context.openFile });
  const withdraw = context.announce?.(kindsOf(work.images.map((w) => w.instance)));
  await runImportPipeline(
    work.images,
    {
      target: (_, i) => targetOf(i),
      prepare: ({ instance, assignment }, target) => {
        assertPresent();
        return worker.coerce(instance.path, target, {
          expected: identityOf(instance),
          patient: localPatientOf(assignment.patient),
          ...(assignment.accessionNumber ? { accessionNumber: assignment.accessionNumber } : {}),
          modifyingSystem: context.modifyingSystem,
        });
      },
      deliver: async (file, result) => {
        await context.deliver(file, result.part10);
        return file;
      },
      settle: ({ instance }, outcome, i) => {
        const source = context.shown(instance.path);
        if (outcome.ok)
          out.imported.push({
            source,
            sopInstanceUid: outcome.value.sopInstanceUid,
            kind: 'image',
          });
        else out.skipped.push({ path: source, reason: fileErrorReason(outcome.error) });
        context.progress(i + 1);
      },
    },
    { inFlight: worker.inFlight },
  ).finally(() => {
    withdraw?.();
    return worker.close();
  });
  let n = work.images.length;
  for (const { pdf, study, assignment } of work.pdfs) {
    const target = targetOf(n++);
    try {
      assertPresent();
      const wrapped = await importOutsidePdf({
        pdf,
        patient: assignment.patient,
        study,
        ...(assignment.accessionNumber ? { accessionNumber: assignment.accessionNumber } : {}),
        equipment: context.equipment,
        output: target,
      });
      await context.deliver(target);
      out.imported.push({ source: pdf.shown, sopInstanceUid: wrapped.sopInstanceUid, kind: 'pdf' });
    } catch (error) {
      await rm(target, { force: true }); // not delivered: leave no orphan behind
      out.skipped.push({ path: pdf.shown, reason: fileErrorReason(error as Error) });
    }
    context.progress(n);
  }
  await rm(folder, { recursive: true, force: true }).catch(() => undefined);
}
