import type {
  CaptureContext,
  EquipmentContext,
  Patient,
  PersonName,
  StudyContext,
} from './context';
import { newUid } from './uids';

type StudyInput = Omit<StudyContext, 'studyInstanceUid' | 'startedAt'> & {
  readonly studyInstanceUid?: string;
};

export interface SessionInput {
  readonly patient: Patient;
  readonly study?: StudyInput;
  readonly equipment: EquipmentContext;
  readonly operator?: PersonName;
  /** Series numbers already used in this study (e.g. from an earlier session), to continue after. */
  readonly firstSeriesNumber?: number;
}

export interface CaptureInput {
  /** Captures of different SOP classes go to different series (one Modality per series). */
  readonly seriesKey: string;
  readonly capturedAt: Date;
  readonly region?: CaptureContext['region'];
  readonly notes?: string;
  readonly documentTitle?: string;
  readonly seriesDescription?: string;
  readonly dermoscopy?: CaptureContext['dermoscopy'];
}

/**
 * Numbering for one capture session (one patient, one study): a Study Instance UID from the worklist
 * or a new one, Study Date/Time = first capture, one series per `seriesKey` numbered in order of
 * first use, instance numbers counting up within each series. Not persisted: the outbox records the
 * contexts it binds, so a restarted session starts a new series.
 */
export class CaptureSession {
  private readonly studyUid: string;
  private studyStartedAt: Date | undefined;
  private nextSeriesNumber: number;
  private readonly series = new Map<
    string,
    { uid: string; number: number; startedAt: Date; count: number; frameOfReferenceUid: string }
  >();

  constructor(private readonly input: SessionInput) {
    this.studyUid = input.study?.studyInstanceUid || newUid();
    this.nextSeriesNumber = input.firstSeriesNumber ?? 1;
  }

  get studyInstanceUid(): string {
    return this.studyUid;
  }

  /** Binds the context of one capture. Call at the moment of capture, not when sending. */
  next(capture: CaptureInput): CaptureContext {
    this.studyStartedAt ??= capture.capturedAt;
    let series = this.series.get(capture.seriesKey);
    if (!series) {
      series = {
        uid: newUid(),
        number: this.nextSeriesNumber++,
        startedAt: capture.capturedAt,
        count: 0,
        frameOfReferenceUid: newUid(),
      };
      this.series.set(capture.seriesKey, series);
    }
    series.count += 1;
    const { study, patient, equipment, operator } = this.input;
    return {
      patient,
      study: { ...study, studyInstanceUid: this.studyUid, startedAt: this.studyStartedAt },
      series: {
        seriesInstanceUid: series.uid,
        seriesNumber: series.number,
        startedAt: series.startedAt,
        frameOfReferenceUid: series.frameOfReferenceUid,
        ...(capture.seriesDescription ? { seriesDescription: capture.seriesDescription } : {}),
      },
      instanceNumber: series.count,
      equipment,
      ...(operator ? { operator } : {}),
      ...(capture.region ? { region: capture.region } : {}),
      capturedAt: capture.capturedAt,
      ...(capture.notes ? { notes: capture.notes } : {}),
      ...(capture.documentTitle ? { documentTitle: capture.documentTitle } : {}),
      ...(capture.dermoscopy ? { dermoscopy: capture.dermoscopy } : {}),
    };
  }
}
