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
import { mkdir, realpath, rm, stat } from 'node:fs/promises';
import { isAbsolute, join, parse, relative } from 'node:path';
import type {
  Assignment,
  ImportReportShape,
  MediaSession,
  StartImport,
} from '../../../preload/features/mediaImport';
import type { EquipmentContext, Patient } from '../dicom/context';
import { StationError } from '../rpc/dispatch';
import type { LocalPatient } from './coerceInstance';
import { startMediaWorker } from './mediaWorker';
import type { FileDeliveries } from './deliveryState';
import { describeMismatches, unconfirmedMismatches } from './confirmedMismatches';
import { findPdfs, type FoundPdf } from './findPdfs';
import { groupInstances, patientKeyOf, type PatientGroup, type StudyGroup } from './groupInstances';
import { importOutsidePdf } from './importPdf';
import { idleReport, measureRun, type ImportedFile, type ReportContext } from './importReport';
import { isSystemFolder } from './listFolders';
import { runImportPipeline } from './importPipeline';
import { patientMismatches, type Mismatch } from './patientMismatch';
import { readMedia, type MediaContents } from './readMedia';
import { makeThumbnail, type Thumbnail } from './thumbnail';
import { fileErrorReason } from './fileErrorReason';
import { kindsOf } from './fileKinds';
import { identityOf } from './surveyedIdentity';
import {
  MediaFileError,
  openForReading,
  type InstanceHeader,
  type OpenFile,
  type Refusal,
} from './types';

export interface MediaImportDeps {
  /** Parent of each run's work folder (coerced files wait there until the outbox takes them). */
  readonly workFolder: string;
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
}

/** Why a file was not imported once its disc was unmounted mid-import. */
export const DISC_REMOVED_REASON =
  'not imported: the disc was removed during the import (insert it and import it again)';

/** `path` is `folder` or lies inside it (both absolute). */
function within(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** DICOM PN from the contract's name groups (PS3.5 6.2.1: alphabetic=ideographic=phonetic). */
export function localPatientOf(patient: Patient): LocalPatient {
  const groups = [
    patient.name.alphabetic,
    patient.name.ideographic ?? '',
    patient.name.phonetic ?? '',
  ];
  while (groups.length > 1 && groups[groups.length - 1] === '') groups.pop();
  return {
    patientId: patient.id,
    ...(patient.issuer ? { issuerOfPatientId: patient.issuer } : {}),
    name: groups.join('='),
    birthDate: patient.birthDate ?? '',
    sex: patient.sex ?? '',
  };
}

const MAX_SESSIONS = 8;

export class MediaImportService {
  private readonly sessions = new Map<string, Session>();
  /** Mount points in the last mediaChanged. */
  private mounted: readonly string[] = [];

  constructor(private readonly deps: MediaImportDeps) {}

  /**
   * Reads the medium at `root` (absolute; a folder) and opens a session. Throws StationError naming
   * the folder and the reason when it is not an absolute path to a readable folder.
   */
  async open(root: string): Promise<MediaSession> {
    if (!isAbsolute(root)) throw new StationError(`${root}: not an absolute folder path`);
    const info = await stat(root).catch(() => undefined);
    if (!info?.isDirectory())
      throw new StationError(`${root}: no such folder on the station computer`);
    const real = await realpath(root);
    // A whole file system or the kernel's pseudo-files is never "a disc": refuse, don't walk it.
    if (real === parse(real).root || isSystemFolder(real))
      throw new StationError(`${root}: not a disc or a folder of images; choose the disc's folder`);
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
    // Old sessions a person walked away from are dropped (their media may be long ejected).
    for (const old of [...this.sessions.values()].slice(0, -MAX_SESSIONS)) this.forget(old);
    return this.view(session);
  }

  private get openFile(): OpenFile {
    return this.deps.openFile ?? openForReading;
  }

  private view(session: Session): MediaSession {
    const { media } = session;
    const shown = (r: Refusal) => ({ path: this.shown(session, r.path), reason: r.reason });
    return {
      sessionId: session.id,
      root: media.root,
      ...(media.dicomdir ? { dicomdir: this.shown(session, media.dicomdir) } : {}),
      ...(media.scannedBecause ? { scannedBecause: media.scannedBecause } : {}),
      patients: session.patients.map((p) => ({
        key: p.key,
        patientId: p.patientId,
        issuerOfPatientId: p.issuerOfPatientId,
        name: p.name,
        birthDate: p.birthDate,
        sex: p.sex,
        studies: p.studies.map((s) => ({
          studyInstanceUid: s.studyInstanceUid,
          date: s.date,
          description: s.description,
          accessionNumber: s.accessionNumber,
          modalities: [...s.modalities],
          seriesCount: s.seriesCount,
          instanceCount: s.instanceCount,
        })),
      })),
      pdfs: [...session.pdfs].map(([id, pdf]) => ({ id, path: pdf.shown, bytes: pdf.bytes })),
      refused: media.refused.map(shown),
      skipped: media.skipped.map(shown),
    };
  }

  /** A path as the user should see it: relative to the medium's root when it lies inside. */
  private shown(session: Session, path: string): string {
    return isAbsolute(path) ? relative(session.media.root, path) || path : path;
  }

  private session(sessionId: string): Session {
    const session = this.sessions.get(sessionId);
    if (!session)
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

  private outside(session: Session, key: string): PatientGroup {
    const found = session.patients.find((p) => p.key === key);
    if (!found) throw new StationError(`outside patient ${key} is not on this medium`);
    return found;
  }

  /** Differences between an outside patient and a local one (patientMismatch.ts). */
  check(sessionId: string, outsideKey: string, patient: Patient): Mismatch[] {
    const session = this.session(sessionId);
    return patientMismatches(this.outside(session, outsideKey), localPatientOf(patient));
  }

  /**
   * Validates the whole request first — every outside key known, every mismatch confirmed, every
   * PDF's study belonging to an assigned patient — and throws StationError with the reason before
   * anything is written; then coerces and queues in the background.
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
      this.assertConfirmed(outside, assignment);
      byKey.set(outside.key, assignment);
    }
    const pdfs = (request.pdfs ?? []).map(({ id, studyInstanceUid }) => {
      const pdf = session.pdfs.get(id);
      if (!pdf) throw new StationError(`PDF ${id} is not on this medium`);
      const { patient, study } = this.study(session, studyInstanceUid);
      const assignment = byKey.get(patient.key);
      if (!assignment)
        throw new StationError(`${pdf.shown}: its study's patient has no local patient chosen`);
      return { pdf, study, assignment };
    });
    const images = session.media.instances.filter((i) => byKey.has(patientKeyOf(i)));
    const run: Run = {
      phase: 'importing',
      total: images.length + pdfs.length,
      imported: [],
      skipped: [...session.media.refused, ...session.media.skipped].map((r) => ({
        path: this.shown(session, r.path),
        reason: r.reason,
      })),
      passedOver: 0,
    };
    for (const instance of session.media.instances)
      if (!byKey.has(patientKeyOf(instance)))
        run.skipped.push({
          path: this.shown(session, instance.path),
          reason: `outside patient ${instance.patientName} (${instance.patientId}) was not assigned a local patient`,
        });
    session.run = run;
    this.execute(session, run, { images, pdfs, byKey }).catch((error: unknown) => {
      // E.g. the data folder is full or unwritable: say so in the report rather than hang.
      const reason = error instanceof Error ? error.message : String(error);
      run.skipped.push({ path: session.media.root, reason: `the import stopped: ${reason}` });
      run.phase = 'done';
      run.stopFollowing?.();
      this.deps.onReport(this.snapshot(session, run, new Map()));
    });
    return this.snapshot(session, run, new Map());
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

  private async execute(
    session: Session,
    run: Run,
    work: {
      images: readonly InstanceHeader[];
      pdfs: readonly { pdf: FoundPdf; study: StudyGroup; assignment: Assignment }[];
      byKey: ReadonlyMap<string, Assignment>;
    },
  ): Promise<void> {
    const folder = join(this.deps.workFolder, session.id);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    let n = 0;
    const step = async (
      source: string,
      kind: ImportedFile['kind'],
      make: (t: string) => Promise<string>,
    ) => {
      // Named by position, never by a UID read from the disc (which could hold '/' or '..').
      const target = join(folder, `${String(++n).padStart(6, '0')}.dcm`);
      try {
        if (session.removed) throw new MediaFileError(DISC_REMOVED_REASON);
        const sopInstanceUid = await make(target);
        await this.deps.deliver(target);
        run.imported.push({ source: this.shown(session, source), sopInstanceUid, kind });
      } catch (error) {
        await rm(target, { force: true }); // not delivered: leave no orphan behind
        run.skipped.push({
          path: this.shown(session, source),
          reason: fileErrorReason(error as Error),
        });
      }
      this.deps.onProgress({
        sessionId: session.id,
        phase: 'importing',
        done: n,
        total: run.total,
      });
    };
    // Images several at a time, their enqueues grouped by the outbox (importPipeline.ts); each
    // is reported, in order, only once its own delivery resolved.
    const images = work.images.flatMap((instance) => {
      const assignment = work.byKey.get(patientKeyOf(instance));
      return assignment ? [{ instance, assignment }] : [];
    });
    const worker = startMediaWorker({ openFile: this.deps.openFile });
    const withdraw = this.deps.announce?.(kindsOf(work.images));
    await runImportPipeline(
      images,
      {
        // Named by position, never by a UID read from the disc (which could hold '/' or '..').
        target: (_, i) => join(folder, `${String(i + 1).padStart(6, '0')}.dcm`),
        prepare: ({ instance, assignment }, target) => {
          if (session.removed) throw new MediaFileError(DISC_REMOVED_REASON);
          return worker.coerce(instance.path, target, {
            expected: identityOf(instance),
            patient: localPatientOf(assignment.patient),
            ...(assignment.accessionNumber ? { accessionNumber: assignment.accessionNumber } : {}),
            modifyingSystem: this.deps.modifyingSystem,
          });
        },
        deliver: async (file, result) => {
          await this.deps.deliver(file, result.part10);
          return file;
        },
        settle: ({ instance }, outcome, i) => {
          const source = this.shown(session, instance.path);
          if (outcome.ok)
            run.imported.push({
              source,
              sopInstanceUid: outcome.value.sopInstanceUid,
              kind: 'image',
            });
          else run.skipped.push({ path: source, reason: fileErrorReason(outcome.error) });
          n = i + 1;
          this.deps.onProgress({
            sessionId: session.id,
            phase: 'importing',
            done: n,
            total: run.total,
          });
        },
      },
      { inFlight: worker.inFlight },
    ).finally(() => {
      withdraw?.();
      return worker.close();
    });
    for (const { pdf, study, assignment } of work.pdfs)
      await step(pdf.path, 'pdf', async (target) => {
        const wrapped = await importOutsidePdf({
          pdf,
          patient: assignment.patient,
          study,
          ...(assignment.accessionNumber ? { accessionNumber: assignment.accessionNumber } : {}),
          equipment: this.deps.equipment,
          output: target,
        });
        return wrapped.sopInstanceUid;
      });
    await rm(folder, { recursive: true, force: true }).catch(() => undefined);
    run.phase = 'sending';
    run.stopFollowing = this.deps.onOutboxChange(() => void this.follow(session, run));
    await this.follow(session, run);
  }

  /** Recomputes the report from the outbox and pushes progress; stops following once done. */
  private async follow(session: Session, run: Run): Promise<void> {
    if (run.phase === 'done') return;
    const { report, finishedFiles } = this.measure(session, run, await this.deps.deliveries());
    if (report.finished) {
      run.phase = 'done';
      run.stopFollowing?.();
    }
    this.deps.onProgress({
      sessionId: session.id,
      phase: run.phase,
      done: finishedFiles,
      total: report.imported.length,
    });
    this.deps.onReport({ ...report, phase: run.phase });
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

  /** Forgets a session (a run in progress finishes; its report is no longer followed). */
  close(sessionId: string): boolean {
    const session = this.sessions.get(sessionId);
    if (session) this.forget(session);
    return session !== undefined;
  }

  private forget(session: Session): void {
    session.run?.stopFollowing?.();
    this.sessions.delete(session.id);
  }

  closeAll(): void {
    for (const session of [...this.sessions.values()]) this.forget(session);
  }
}
