import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BodySite, SavedCapture, WorklistItem } from '../../../preload/contract';
import type { StationConfig } from '../config/schema';
import type { CaptureContext } from '../dicom/context';
import { stationEquipment } from '../dicom/equipment';
import { CaptureSession } from '../dicom/session';
import { chooseSopClass } from '../dicom/sopClass';
import { newUid } from '../dicom/uids';
import { wrapCapture } from '../dicom/wrapCapture';
import { prepareVideo } from '../video';
import { requireStudyUid } from './procedureIdentity';
import type { Logger } from '../log/Logger';
import { StationError } from '../rpc/dispatch';

/**
 * Where a finished instance goes: the outbox, which makes it durable in its spool before
 * resolving. The capture is reported "saved" only after this resolves.
 */
export type CaptureSink = (file: string, capture: SavedCapture) => Promise<void>;

export interface CaptureServiceOptions {
  readonly config: StationConfig;
  /** Scratch space on the spool's file system (same disk, so renames are atomic). */
  readonly workFolder: string;
  readonly sink: CaptureSink;
  readonly log: Logger;
  readonly now?: () => Date;
}

/** What was captured, bound at the moment of capture. */
export interface Capture {
  readonly item: WorklistItem;
  readonly medium: 'still' | 'video';
  /** ISO 8601: the shutter, or the start of a recording. */
  readonly capturedAt: string;
  readonly region?: BodySite;
  readonly notes?: string;
  readonly dermoscope?: boolean;
  /** Wound care follow-up: "Wound A" — its own series, named by Series Description. */
  readonly woundLabel?: string;
  readonly dermoscopy?: CaptureContext['dermoscopy'];
}

/** A camera JPEG at 4K is a few MB; anything far larger is not a still from our renderer. */
export const MAX_STILL_BYTES = 40 * 1024 * 1024;

/**
 * Turns what the operator captured into DICOM bound to the patient shown at the moment of
 * capture (DOMAIN.md hazard: wrong patient): patient, study and accession come from each
 * capture's own worklist item; a CaptureSession per study and patient only keeps series and
 * instance numbering; the SOP class follows the department, and the instance is handed to the
 * sink (the outbox) before the UI is told it is saved.
 */
export class CaptureService {
  private readonly sessions = new Map<string, CaptureSession>();

  constructor(private readonly options: CaptureServiceOptions) {}

  /** Encounter-based imaging (IHE EBIW): the patient, a new study, no accession. */
  startUnscheduled(patient: WorklistItem['patient']): WorklistItem {
    const studyInstanceUid = newUid();
    return {
      key: `unscheduled-${studyInstanceUid}`,
      patient,
      accessionNumber: '',
      studyInstanceUid,
      unscheduled: true,
    };
  }

  /**
   * Wraps a reviewed capture (the file stays where it is: the review store removes it once this
   * resolves) and hands the instance to the sink. Rejects with a StationError naming the reason.
   */
  send(input: string, capture: Capture, sopInstanceUid?: string): Promise<SavedCapture> {
    return this.wrapAndSpool(input, capture, sopInstanceUid);
  }

  private async wrapAndSpool(
    input: string,
    capture: Capture,
    sopInstanceUid?: string,
  ): Promise<SavedCapture> {
    const department = this.options.config.station.department;
    const sop = chooseSopClass(department, capture.medium, {
      dermoscope: capture.dermoscope === true,
    });
    const label = capture.woundLabel?.trim();
    const studyInstanceUid = requireStudyUid(capture.item);
    const numbered = this.session(capture.item, studyInstanceUid).next({
      // One series per SOP class and wound label, named by it (PS3.3 C.7.3.1 Series Description):
      // every visit's "Wound A" series carries the same description, so viewers line them up.
      seriesKey: label ? JSON.stringify([sop.kind, label]) : sop.kind,
      capturedAt: new Date(capture.capturedAt),
      ...(label ? { seriesDescription: label } : {}),
      ...(capture.notes ? { notes: capture.notes } : {}),
      ...(capture.region ? { region: capture.region } : {}),
      ...(capture.dermoscopy && sop.kind === 'dermoscopy'
        ? { dermoscopy: capture.dermoscopy }
        : {}),
    });
    const next = boundToItem(numbered, capture.item, studyInstanceUid);
    const context = sopInstanceUid ? { ...next, sopInstanceUid } : next;
    await mkdir(this.options.workFolder, { recursive: true });
    const output = join(this.options.workFolder, `${randomUUID()}.dcm`);
    try {
      const result = await wrapCapture({ input, kind: sop.kind, context, output, prepareVideo });
      const saved: SavedCapture = {
        sopInstanceUid: result.sopInstanceUid,
        sopClassUid: result.sopClassUid,
        studyInstanceUid: result.studyInstanceUid,
        seriesNumber: context.series.seriesNumber,
        instanceNumber: context.instanceNumber,
        patientId: capture.item.patient.id,
        capturedAt: capture.capturedAt,
      };
      await this.options.sink(result.path, saved);
      this.options.log.info(`${capture.medium} saved`, {
        sopInstanceUid: saved.sopInstanceUid,
        kind: sop.kind,
      });
      return saved;
    } catch (error) {
      await rm(output, { force: true });
      if (error instanceof StationError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new StationError(
        `the ${capture.medium === 'still' ? 'still' : 'video'} could not be saved: ${reason}`,
      );
    }
  }

  /**
   * Numbering only — series and instance numbers, a Series Instance UID per series key, Study
   * Date/Time — shared by the captures of one study of one patient. Keyed by Study Instance UID
   * and Patient ID with its issuer, so a second patient never continues another's study, even
   * under the same (or no) UID from the RIS.
   */
  private session(item: WorklistItem, studyInstanceUid: string): CaptureSession {
    const key = JSON.stringify([studyInstanceUid, item.patient.id, item.patient.issuer ?? '']);
    const existing = this.sessions.get(key);
    if (existing) return existing;
    const session = new CaptureSession({
      patient: item.patient,
      study: { studyInstanceUid },
      equipment: stationEquipment(this.options.config.station),
    });
    this.sessions.set(key, session);
    return session;
  }
}

/**
 * The patient and study written into an instance: always this capture's own worklist item (as
 * bound at the shutter), never a cached one — the RIS may correct a name or an accession under
 * the same Study Instance UID, and the next capture must carry the correction.
 */
function boundToItem(
  context: CaptureContext,
  item: WorklistItem,
  studyInstanceUid: string,
): CaptureContext {
  return {
    ...context,
    patient: item.patient,
    study: {
      studyInstanceUid,
      startedAt: context.study.startedAt,
      ...(item.accessionNumber ? { accessionNumber: item.accessionNumber } : {}),
      ...(item.requestedProcedureId ? { requestedProcedureId: item.requestedProcedureId } : {}),
      ...(item.requestedProcedureDescription
        ? {
            requestedProcedureDescription: item.requestedProcedureDescription,
            studyDescription: item.requestedProcedureDescription,
          }
        : {}),
      ...(item.scheduledStepId ? { scheduledStepId: item.scheduledStepId } : {}),
      ...(item.referringPhysician ? { referringPhysician: item.referringPhysician } : {}),
    },
  };
}
