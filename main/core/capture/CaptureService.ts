import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SavedCapture, StillCapture, WorklistItem } from '../../../preload/contract';
import type { StationConfig } from '../config/schema';
import { stationEquipment } from '../dicom/equipment';
import { CaptureSession } from '../dicom/session';
import { chooseSopClass } from '../dicom/sopClass';
import { newUid } from '../dicom/uids';
import { wrapCapture } from '../dicom/wrapCapture';
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

/** A camera JPEG at 4K is a few MB; anything far larger is not a still from our renderer. */
const MAX_STILL_BYTES = 40 * 1024 * 1024;

/**
 * Turns what the operator captured into DICOM bound to the patient shown at the moment of
 * capture (DOMAIN.md hazard: wrong patient): one CaptureSession per study keeps series and
 * instance numbering, the SOP class follows the department, and the instance is handed to the
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
   * Wraps one JPEG still as the department's SOP class and hands it to the sink. Rejects with a
   * StationError naming the reason (bad JPEG, disk full…); nothing half-written is left behind.
   */
  async saveStill(still: StillCapture): Promise<SavedCapture> {
    const jpeg = Buffer.from(still.jpegBase64, 'base64');
    if (jpeg.length === 0 || jpeg.length > MAX_STILL_BYTES)
      throw new StationError(
        `a still must be 1 byte to ${MAX_STILL_BYTES} bytes of JPEG, got ${jpeg.length}`,
      );
    const department = this.options.config.station.department;
    const sop = chooseSopClass(department, 'still', { dermoscope: still.dermoscope === true });
    const capturedAt = new Date(still.capturedAt);
    const context = this.session(still.item).next({
      seriesKey: sop.kind,
      capturedAt,
      ...(still.notes ? { notes: still.notes } : {}),
    });
    await mkdir(this.options.workFolder, { recursive: true });
    const input = join(this.options.workFolder, `${randomUUID()}.jpg`);
    const output = join(this.options.workFolder, `${randomUUID()}.dcm`);
    try {
      await writeFile(input, jpeg);
      const result = await wrapCapture({ input, kind: sop.kind, context, output });
      const saved: SavedCapture = {
        sopInstanceUid: result.sopInstanceUid,
        sopClassUid: result.sopClassUid,
        studyInstanceUid: result.studyInstanceUid,
        seriesNumber: context.series.seriesNumber,
        instanceNumber: context.instanceNumber,
        patientId: still.item.patient.id,
        capturedAt: still.capturedAt,
      };
      await this.options.sink(result.path, saved);
      this.options.log.info('still saved', {
        sopInstanceUid: saved.sopInstanceUid,
        kind: sop.kind,
      });
      return saved;
    } catch (error) {
      await rm(output, { force: true });
      if (error instanceof StationError) throw error;
      throw new StationError(
        `the still could not be saved: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      await rm(input, { force: true });
    }
  }

  private session(item: WorklistItem): CaptureSession {
    const existing = this.sessions.get(item.studyInstanceUid);
    if (existing) return existing;
    const { station } = this.options.config;
    const session = new CaptureSession({
      patient: item.patient,
      study: {
        studyInstanceUid: item.studyInstanceUid,
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
      equipment: stationEquipment(station),
    });
    this.sessions.set(item.studyInstanceUid, session);
    return session;
  }
}
