/**
 * The closing report of an import session (issue 8, item 6) from what the run did and what the
 * outbox says now: imported files with their delivery state, skipped files with reasons, files
 * passed over as not DICOM (counted only), and counts where a cancelled delivery is never sent.
 */
import type { ImportReportShape } from '../../../preload/features/mediaImport';
import { fileState, type FileDeliveries, type FileState } from './deliveryState';
import type { Refusal } from './types';

export interface ImportedFile {
  readonly source: string;
  readonly sopInstanceUid: string;
  readonly kind: 'image' | 'pdf';
}

/** What one import run did so far. */
export interface RunRecord {
  readonly phase: 'importing' | 'sending' | 'done';
  readonly imported: readonly ImportedFile[];
  readonly skipped: readonly Refusal[];
  /** Viewer programs, autorun and other files that are not DICOM and were never offered. */
  readonly passedOver: number;
}

export interface ReportContext {
  readonly sessionId: string;
  readonly scannedBecause?: string | undefined;
  /** Destinations that ask for storage commitment. */
  readonly commitDestinations: ReadonlySet<string>;
}

/** The report before any import was started. */
export function idleReport(context: ReportContext): ImportReportShape {
  return {
    sessionId: context.sessionId,
    finished: false,
    phase: 'idle',
    commitExpected: context.commitDestinations.size > 0,
    imported: [],
    skipped: [],
    passedOver: 0,
    counts: { imported: 0, skipped: 0, sent: 0, committed: 0, failed: 0, cancelled: 0 },
  };
}

/**
 * The report for `run` with the outbox's `deliveries` (by SOP Instance UID), and how many
 * imported files are finished (sent, committed where asked, cancelled, or needing attention).
 */
export function measureRun(
  context: ReportContext,
  run: RunRecord,
  deliveries: ReadonlyMap<string, FileDeliveries>,
): { report: ImportReportShape; finishedFiles: number } {
  const commit = context.commitDestinations;
  const states = run.imported.map((file) => fileState(deliveries.get(file.sopInstanceUid), commit));
  const count = (pick: (s: FileState) => boolean) => states.filter(pick).length;
  const finishedFiles = count((s) => s.finished);
  const report: ImportReportShape = {
    sessionId: context.sessionId,
    finished: run.phase !== 'importing' && finishedFiles === states.length,
    phase: run.phase,
    commitExpected: commit.size > 0,
    imported: run.imported.map((file, index) => {
      const state = states[index];
      return {
        ...file,
        state: state?.state ?? 'queued',
        ...(state?.problem ? { problem: state.problem } : {}),
      };
    }),
    skipped: [...run.skipped],
    passedOver: run.passedOver,
    counts: {
      imported: states.length,
      skipped: run.skipped.length,
      sent: count((s) => s.sent),
      committed: count((s) => s.committed),
      failed: count((s) => s.state === 'needs-attention'),
      cancelled: count((s) => s.state === 'cancelled'),
    },
    ...(context.scannedBecause ? { scannedBecause: context.scannedBecause } : {}),
  };
  return { report, finishedFiles };
}
