/**
 * Import sessions for the station's UI (issue 8): open a medium (headers only), browse it, check
 * each outside patient against the chosen local patient, then coerce and queue in the background
 * with progress, and follow the outbox to a closing report (imported, skipped with reasons, sent,
 * committed). A session refers to what it found by key — outside patient key, Study Instance UID,
 * PDF id — so a caller can never name a file the session did not find inside the medium.
 */
import type { Part10Info } from '../dimse/part10';
import type { FileKind } from '../dimse/sendFiles';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type {
  Assignment,
  ImportReportShape,
  MediaSession,
  StartImport,
} from '../../../preload/features/mediaImport';
import type { EquipmentContext, Patient } from '../dicom/context';
import { StationError } from '../rpc/dispatch';
import type { FileDeliveries } from './deliveryState';
import { describeMismatches, unconfirmedMismatches } from './confirmedMismatches';
import { findPdfs, type FoundPdf } from './findPdfs';
import { groupInstances, patientKeyOf, type PatientGroup, type StudyGroup } from './groupInstances';
import { idleReport, measureRun, type ImportedFile, type ReportContext } from './importReport';
import { assertImportablePatient, localPatientOf } from './localPatient';
import { patientMismatches, type Mismatch } from './patientMismatch';
import { readMedia, type MediaContents } from './readMedia';
import { runImport, type RunWork } from './runImport';
import { shownKey, shownPath, viewOf } from './sessionView';
import { whyNotAMedium, within } from './mediumRootCheck';
import { makeThumbnail, type Thumbnail } from './thumbnail';
import { openForReading, type InstanceHeader, type OpenFile, type Refusal } from './types';

export { localPatientOf } from './localPatient';
export { DISC_REMOVED_REASON } from './runImport';

export interface MediaImportDeps {
  /** Parent of each run's work folder (coerced files wait there until the outbox takes them). */
  readonly workFolder: string;
  /**
   * The station's data folder: never opened as a medium, nor any folder that holds it (its spool
   * and work folders hold other local patients' images).
   */
  readonly dataFolder?: string;
  readonly modifyingSystem: string;
  readonly equipment: EquipmentContext;
  /**
   * Hands a finished file to the outbox (moved); resolves once it is durable there. `part10`:
   * what the coercion wrote, when it was one (the outbox then need not read the file again).
   */
  readonly deliver: (file: string, part10?: Part10Info) => Promise<void>;
  /** As ImportOptions.announce (importMedia.ts): the kinds an import is about to deliver. */
  readonly announce?: (kinds: readonly FileKind[]) => () => void;
  /** The outbox's deliveries now, by SOP Instance UID. */
  readonly deliveries: () => Promise<ReadonlyMap<string, FileDeliveries>>;
  readonly onOutboxChange: (listener: () => void) => () => void;
  /** Destinations that ask for storage commitment. */
  readonly commitDestinations: ReadonlySet<string>;
  readonly onProgress: (progress: {
    sessionId: string;
    phase: 'importing' | 'sending' | 'done';
    done: number;
    total: number;
  }) => void;
  readonly onReport: (report: ImportReportShape) => void;
  readonly openFile?: OpenFile;
}

interface Run {
  phase: 'importing' | 'sending' | 'done';
  total: number;
  readonly imported: ImportedFile[];
  readonly skipped: Refusal[];
  readonly passedOver: number;
  stopFollowing?: () => void;
}

interface Session {
  readonly id: string;
  /** The folder as the caller named it (a mount point), beside media.root, its realpath. */
  readonly openedAs: string;
  readonly media: MediaContents;
  readonly patients: readonly PatientGroup[];
  readonly pdfs: ReadonlyMap<string, FoundPdf>;
  readonly thumbnails: Map<string, Promise<Thumbnail>>;
  run?: Run;
  /** The medium was unmounted after it was read (mediaChanged): nothing more is read from it. */
  removed?: boolean;
  /** closeMedia was asked while the run was going on: dropped once it is done. */
  closing?: boolean;
  /** Forgotten: no listener may be registered for it any more. */
  dropped?: boolean;
}

const running = (session: Session): boolean =>
  session.run !== undefined && session.run.phase !== 'done';

const MAX_SESSIONS = 8;

export class MediaImportService {
  private readonly sessions = new Map<string, Session>();
  /** Mount points in the last mediaChanged. */
  private mounted: readonly string[] = [];

  constructor(private readonly deps: MediaImportDeps) {}

  /**
   * Reads the medium at `root` (absolute; a folder) and opens a session. Throws StationError naming
   * the folder and the reason when it is not an absolute path to a readable folder, or is a whole
   * file system, a system folder, or the station's own data folder (or inside or above it).
   */
  async open(root: string): Promise<MediaSession> {
    const refusal = await whyNotAMedium(root, this.deps.dataFolder);
    if (refusal) throw new StationError(refusal);
    const media = await readMedia(root, { openFile: this.openFile });
    const found = await findPdfs(media.root);
    const session: Session = {
      id: randomUUID(),
      openedAs: root,
      media,
      patients: groupInstances(media.instances),
      pdfs: new Map(found.map((pdf, index) => [`pdf-${index + 1}`, pdf])),
      thumbnails: new Map(),
    };
    this.sessions.set(session.id, session);
    this.dropOldSessions(session);
    return viewOf(session);
  }

  /**
   * Old sessions a person walked away from are dropped (their media may be long ejected), oldest
   * first; never one whose import is still running, nor the one just opened.
   */
  private dropOldSessions(current: Session): void {
    let excess = this.sessions.size - MAX_SESSIONS;
    for (const old of [...this.sessions.values()]) {
      if (excess <= 0) return;
      if (old === current || running(old)) continue;
      this.forget(old);
      excess--;
    }
  }

  private get openFile(): OpenFile {
    return this.deps.openFile ?? openForReading;
  }

  private session(sessionId: string): Session {
    const session = this.sessions.get(sessionId);
    if (!session || session.closing)
      throw new StationError('this import session is closed or unknown; open the medium again');
    return session;
  }

  private study(session: Session, studyUid: string): { patient: PatientGroup; study: StudyGroup } {
    for (const patient of session.patients) {
      const study = patient.studies.find((s) => s.studyInstanceUid === studyUid);
      if (study) return { patient, study };
    }
    throw new StationError(`study ${studyUid} is not on this medium`);
  }

  /** A preview of the study's representative image: the middle image of a series that decodes. */
  thumbnail(sessionId: string, studyUid: string): Promise<Thumbnail> {
    const session = this.session(sessionId);
    const { study } = this.study(session, studyUid);
    let made = session.thumbnails.get(studyUid);
    if (!made) {
      made = this.firstPreview(study);
      session.thumbnails.set(studyUid, made);
    }
    return made;
  }

  private async firstPreview(study: StudyGroup): Promise<Thumbnail> {
    const candidates = study.series
      .map((s) => s.instances[Math.floor(s.instances.length / 2)])
      .filter((i): i is InstanceHeader => i !== undefined)
      .slice(0, 4);
    let last: Thumbnail = { ok: false, reason: 'no preview: the study has no image' };
    for (const instance of candidates) {
      last = await makeThumbnail(instance.path, { openFile: this.openFile });
      if (last.ok) return last;
    }
    return last;
  }

  /** The outside patient the screen names by `key` (sessionView.ts's shownKey). */
  private outside(session: Session, key: string): PatientGroup {
    const found = session.patients.find((p) => shownKey(p) === key);
    if (!found) throw new StationError(`outside patient ${key} is not on this medium`);
    return found;
  }

  /**
   * Differences between an outside patient and a local one (patientMismatch.ts). Throws
   * StationError naming the field when the local patient cannot be imported to (localPatient.ts).
   */
  check(sessionId: string, outsideKey: string, patient: Patient): Mismatch[] {
    const session = this.session(sessionId);
    const outside = this.outside(session, outsideKey);
    assertImportablePatient(patient);
    return patientMismatches(outside, localPatientOf(patient));
  }

  /**
   * Validates the whole request first — every outside key known, every local patient valid DICOM,
   * every mismatch confirmed, every PDF chosen once and its study belonging to an assigned patient
   * — and throws StationError with the reason before anything is written; then coerces and queues
   * in the background.
   */
  start(request: StartImport): ImportReportShape {
    const session = this.session(request.sessionId);
    if (session.run) throw new StationError('this medium is already being imported (or was)');
    if (session.removed)
      throw new StationError('the disc was removed since it was read; insert it and open it again');
    const byKey = new Map<string, Assignment>();
    for (const assignment of request.assignments) {
      const outside = this.outside(session, assignment.outsideKey);
      if (byKey.has(outside.key))
        throw new StationError(`outside patient ${outside.patientId} is assigned twice`);
      assertImportablePatient(assignment.patient);
      this.assertConfirmed(outside, assignment);
      byKey.set(outside.key, assignment);
    }
    const chosen = new Set<string>();
    const pdfs = (request.pdfs ?? []).map(({ id, studyInstanceUid }) => {
      const pdf = session.pdfs.get(id);
      if (!pdf) throw new StationError(`PDF ${id} is not on this medium`);
      if (chosen.has(id)) throw new StationError(`${pdf.shown} is chosen twice`);
      chosen.add(id);
      const { patient, study } = this.study(session, studyInstanceUid);
      const assignment = byKey.get(patient.key);
      if (!assignment)
        throw new StationError(`${pdf.shown}: its study's patient has no local patient chosen`);
      return { pdf, study, assignment };
    });
    const images = session.media.instances.flatMap((instance) => {
      const assignment = byKey.get(patientKeyOf(instance));
      return assignment ? [{ instance, assignment }] : [];
    });
    const run = this.newRun(session, { images, pdfs }, chosen, byKey);
    session.run = run;
    this.execute(session, run, { images, pdfs }).catch((error: unknown) => {
      // E.g. the data folder is full or unwritable: say so in the report rather than hang.
      const reason = error instanceof Error ? error.message : String(error);
      run.skipped.push({ path: session.media.root, reason: `the import stopped: ${reason}` });
      this.finish(session, run);
      this.deps.onReport(this.snapshot(session, run, new Map()));
    });
    return this.snapshot(session, run, new Map());
  }

  /**
   * The run's starting report: refused files and those not chosen are skipped with reasons; files
   * that are not DICOM (viewers, autorun) are passed over, counted only — except PDFs, which are
   * either imported or skipped as not chosen, never both.
   */
  private newRun(
    session: Session,
    work: RunWork,
    chosenPdfs: ReadonlySet<string>,
    byKey: ReadonlyMap<string, Assignment>,
  ): Run {
    const { media } = session;
    const shown = (path: string) => shownPath(media, path);
    const pdfPaths = new Set([...session.pdfs.values()].map((pdf) => pdf.shown));
    const skipped: Refusal[] = media.refused.map((r) => ({
      path: shown(r.path),
      reason: r.reason,
    }));
    for (const instance of media.instances)
      if (!byKey.has(patientKeyOf(instance)))
        skipped.push({
          path: shown(instance.path),
          reason: `outside patient ${instance.patientName} (${instance.patientId}) was not assigned a local patient`,
        });
    for (const [id, pdf] of session.pdfs)
      if (!chosenPdfs.has(id)) skipped.push({ path: pdf.shown, reason: 'not chosen for import' });
    return {
      phase: 'importing',
      total: work.images.length + work.pdfs.length,
      imported: [],
      skipped,
      passedOver: media.skipped.filter((r) => !pdfPaths.has(shown(r.path))).length,
    };
  }

  /**
   * Throws StationError unless every difference between the outside patient and the assigned
   * local patient, as found now, is among those the person confirmed (confirmedMismatches.ts).
   */
  private assertConfirmed(outside: PatientGroup, assignment: Assignment): void {
    const found = patientMismatches(outside, localPatientOf(assignment.patient));
    const unconfirmed = unconfirmedMismatches(found, assignment.acceptMismatch);
    if (unconfirmed.length === 0) return;
    const who = `outside patient ${outside.name} (${outside.patientId})`;
    if (assignment.acceptMismatch?.length)
      throw new StationError(
        `the local patient or the disc changed since the confirmation for ${who}: ${describeMismatches(unconfirmed)} was not confirmed; check the patients again`,
      );
    throw new StationError(
      `${who} differs from the local patient: ${describeMismatches(unconfirmed)}; confirm to import anyway`,
    );
  }

  private async execute(session: Session, run: Run, work: RunWork): Promise<void> {
    const progress = (done: number) =>
      this.deps.onProgress({ sessionId: session.id, phase: 'importing', done, total: run.total });
    await runImport(
      work,
      {
        folder: join(this.deps.workFolder, session.id),
        modifyingSystem: this.deps.modifyingSystem,
        equipment: this.deps.equipment,
        deliver: this.deps.deliver,
        announce: this.deps.announce,
        openFile: this.deps.openFile,
        shown: (path) => shownPath(session.media, path),
        removed: () => session.removed === true,
        progress,
      },
      run,
    );
    run.phase = 'sending';
    // Dropped meanwhile (the app closing): register nothing that would outlive the session.
    if (session.dropped) return this.finish(session, run);
    run.stopFollowing = this.deps.onOutboxChange(() => void this.follow(session, run));
    await this.follow(session, run);
  }

  /** Recomputes the report from the outbox and pushes progress; stops following once done. */
  private async follow(session: Session, run: Run): Promise<void> {
    if (run.phase === 'done') return;
    // An outbox that cannot answer now is asked again at its next change.
    const deliveries = await this.deps.deliveries().catch(() => undefined);
    if (!deliveries || run.phase !== 'sending') return;
    const { report, finishedFiles } = this.measure(session, run, deliveries);
    if (report.finished) this.finish(session, run);
    this.deps.onProgress({
      sessionId: session.id,
      phase: run.phase,
      done: finishedFiles,
      total: report.imported.length,
    });
    this.deps.onReport({ ...report, phase: run.phase });
  }

  /** The run is over: its outbox listener goes, and a session closed meanwhile is dropped. */
  private finish(session: Session, run: Run): void {
    run.phase = 'done';
    run.stopFollowing?.();
    run.stopFollowing = undefined;
    if (session.closing) this.forget(session);
  }

  private snapshot(
    session: Session,
    run: Run,
    deliveries: ReadonlyMap<string, FileDeliveries>,
  ): ImportReportShape {
    return this.measure(session, run, deliveries).report;
  }

  private measure(session: Session, run: Run, deliveries: ReadonlyMap<string, FileDeliveries>) {
    return measureRun(this.reportContext(session), run, deliveries);
  }

  private reportContext(session: Session): ReportContext {
    return {
      sessionId: session.id,
      scannedBecause: session.media.scannedBecause,
      commitDestinations: this.deps.commitDestinations,
    };
  }

  /** The closing report as the outbox has it now. */
  async report(sessionId: string): Promise<ImportReportShape> {
    const session = this.session(sessionId);
    const run = session.run;
    if (!run) return idleReport(this.reportContext(session));
    return this.snapshot(session, run, await this.deps.deliveries());
  }

  /**
   * The media mounted now (MediaWatcher's list): a session whose medium was mounted before and is
   * not now is marked removed; its import, if one is running, reads nothing more from it and
   * reports each remaining file skipped with DISC_REMOVED_REASON (a disc mounted again at the same
   * place may be another patient's).
   */
  mediaChanged(media: readonly { readonly root: string }[]): void {
    const roots = media.map((m) => m.root);
    const on = (list: readonly string[], s: Session) =>
      list.some((root) => within(root, s.openedAs) || within(root, s.media.root));
    for (const session of this.sessions.values())
      if (on(this.mounted, session) && !on(roots, session)) session.removed = true;
    this.mounted = roots;
  }

  /**
   * Closes a session for its caller. One whose import is still running is kept until the run is
   * done (its files are still being queued and followed), then dropped.
   */
  close(sessionId: string): boolean {
    const session = this.sessions.get(sessionId);
    if (!session || session.closing) return false;
    if (running(session)) session.closing = true;
    else this.forget(session);
    return true;
  }

  private forget(session: Session): void {
    session.dropped = true;
    session.run?.stopFollowing?.();
    if (session.run) session.run.stopFollowing = undefined;
    this.sessions.delete(session.id);
  }

  /** The app is closing: every session goes, running or not, with its outbox listener. */
  closeAll(): void {
    for (const session of [...this.sessions.values()]) this.forget(session);
  }
}
