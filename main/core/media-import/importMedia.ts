/**
 * One import run: read the medium, coerce every instance to the chosen local patient into a work
 * folder, and hand each coerced file to `deliver` (the outbox's enqueue, in the app and the CLI).
 * Never stops at the first bad file: each one is imported or skipped with its reason, and the
 * closing report says which. A file is only reported imported once `deliver` resolved (the outbox
 * resolves once the instance is durable in its spool).
 */
import { mkdir } from 'node:fs/promises';
import type { Part10Info } from '../dimse/part10';
import type { FileKind } from '../dimse/sendFiles';
import { join } from 'node:path';
import type { LocalPatient } from './coerceInstance';
import { startMediaWorker, type MediaWorker, type WorkerCoerceOptions } from './mediaWorker';
import { fileErrorReason } from './fileErrorReason';
import { groupInstances, patientKeyOf, type PatientGroup } from './groupInstances';
import { runImportPipeline } from './importPipeline';
import { patientMismatches, PatientMismatchError } from './patientMismatch';
import { readMedia, type MediaContents } from './readMedia';
import { identityOf } from './surveyedIdentity';
import { kindsOf } from './fileKinds';
import { openForReading, type OpenFile, type Refusal } from './types';

export interface ImportOptions {
  readonly patient: LocalPatient;
  readonly accessionNumber?: string;
  readonly modifyingSystem: string;
  /** Where coerced files are written before delivery (created if missing). */
  readonly workFolder: string;
  /**
   * Takes a coerced file, with its Part-10 info as written (for the outbox's enqueue, so it need
   * not read the file again); resolves with a receipt id (e.g. the outbox job id).
   */
  readonly deliver: (file: string, part10: Part10Info) => Promise<string>;
  /**
   * Told once, before the first delivery, every SOP class and transfer syntax the import will
   * deliver (coercion keeps the syntax), e.g. for Outbox.expectKinds; what it returns is called
   * once the import has ended.
   */
  readonly announce?: (kinds: readonly FileKind[]) => () => void;
  /**
   * Patient ID of the outside patient to import when the medium holds several (required then):
   * one local patient is never given a whole disc of different patients.
   */
  readonly outsidePatientId?: string;
  /**
   * With outsidePatientId, its Issuer of Patient ID: required when the ID is on the medium under
   * more than one issuer (chooseOutside).
   */
  readonly outsideIssuer?: string;
  /**
   * Instead of outsidePatientId: the outside patient's key as a survey gives it (PatientGroup.key),
   * the only way to name one of several patients without a Patient ID.
   */
  readonly outsideKey?: string;
  /** A person confirmed the import although name, birth date or sex differ (patientMismatch.ts). */
  readonly acceptMismatch?: boolean;
  readonly openFile?: OpenFile;
  readonly now?: Date;
  /** Coercions asked for at once (default: the MediaWorker's, see mediaWorker.ts). */
  readonly inFlight?: number;
}

/**
 * The medium holds several outside patients and the caller did not say which one to import, or
 * named one that is not there, or not uniquely.
 */
export class SeveralPatientsError extends Error {
  override readonly name = 'SeveralPatientsError';
}

export interface ImportedFile {
  readonly source: string;
  readonly sopInstanceUid: string;
  readonly receipt: string;
}

export interface ImportReport {
  readonly patients: readonly PatientGroup[];
  readonly imported: readonly ImportedFile[];
  /** Refused while reading, skipped as noise, or failed while coercing or delivering. */
  readonly skipped: readonly Refusal[];
}

/** What a dry run prints: the grouping and every file that would not be imported. */
export interface MediaSummary {
  readonly root: string;
  readonly dicomdir: string | undefined;
  /** Set when the medium was scanned although it has a DICOMDIR, with the reason. */
  readonly scannedBecause: string | undefined;
  readonly patients: readonly PatientGroup[];
  readonly refused: readonly Refusal[];
  readonly skipped: readonly Refusal[];
}

/** Reads and groups a medium without writing anything. */
export async function surveyMedia(root: string, openFile?: OpenFile): Promise<MediaSummary> {
  const media = await readMedia(root, { openFile });
  return summaryOf(media);
}

function summaryOf(media: MediaContents): MediaSummary {
  return {
    root: media.root,
    dicomdir: media.dicomdir,
    scannedBecause: media.scannedBecause,
    patients: groupInstances(media.instances),
    refused: media.refused,
    skipped: media.skipped,
  };
}

/**
 * Imports a medium; throws only when the medium root or the work folder is unusable, or for the
 * patient checks above.
 */
export async function importMedia(root: string, options: ImportOptions): Promise<ImportReport> {
  // The worker reads the headers, then coerces (mediaWorker.ts).
  const work = startMediaWorker({ openFile: options.openFile });
  try {
    return await importWith(work, root, options);
  } finally {
    await work.close();
  }
}

async function importWith(
  work: MediaWorker,
  root: string,
  options: ImportOptions,
): Promise<ImportReport> {
  const openFile = options.openFile ?? openForReading;
  const media = await readMedia(root, {
    openFile,
    readHeaders: (paths) => work.readHeaders(paths),
  });
  const patients = groupInstances(media.instances);
  const outside =
    options.outsideKey === undefined
      ? chooseOutside(patients, options.outsidePatientId, options.outsideIssuer)
      : chooseByKey(patients, options.outsideKey);
  const mismatches = outside ? patientMismatches(outside, options.patient) : [];
  if (mismatches.length > 0 && !options.acceptMismatch) throw new PatientMismatchError(mismatches);
  await mkdir(options.workFolder, { recursive: true, mode: 0o700 });
  const toImport = media.instances.filter((i) => patientKeyOf(i) === outside?.key);
  const withdraw = options.announce?.(kindsOf(toImport));
  try {
    return { patients, ...(await coerceAndDeliver(work, media, outside, options)) };
  } finally {
    withdraw?.();
  }
}

/** "ID [issuer I] NAME", as reasons name an outside patient. */
const who = (id: string, issuer: string, name: string): string =>
  `${id || '(no ID)'}${issuer ? ` issuer ${issuer}` : ''} ${name}`;
const described = (p: PatientGroup): string => who(p.patientId, p.issuerOfPatientId, p.name);

/**
 * The outside patient to import: the only one on the medium, or the one `id` (and `issuer`, when
 * given) names. A Patient ID identifies a patient only together with its issuer (PS3.3 C.7.1.1):
 * an ID found under two issuers, or an empty ID shared by several names, names nobody.
 * Undefined only for a medium without instances.
 */
function chooseOutside(
  patients: readonly PatientGroup[],
  id: string | undefined,
  issuer: string | undefined,
): PatientGroup | undefined {
  const list = (groups: readonly PatientGroup[]) => groups.map(described).join('; ');
  if (id === undefined) {
    if (patients.length > 1)
      throw new SeveralPatientsError(
        `the medium holds ${patients.length} patients (${list(patients)}): choose one`,
      );
    return patients[0];
  }
  const named = patients.filter(
    (p) => p.patientId === id && (issuer === undefined || p.issuerOfPatientId === issuer),
  );
  const asked = `patient ID "${id}"${issuer === undefined ? '' : ` issuer "${issuer}"`}`;
  if (named.length === 0)
    throw new SeveralPatientsError(`no ${asked} on the medium (it holds ${list(patients)})`);
  if (named.length > 1)
    throw new SeveralPatientsError(
      `${asked} names ${named.length} patients on the medium (${list(named)}): ${
        id ? 'give the issuer too' : 'without an ID, choose one by its key (a survey lists them)'
      }`,
    );
  return named[0];
}

/** The outside patient whose survey key is `key` (PatientGroup.key). */
function chooseByKey(patients: readonly PatientGroup[], key: string): PatientGroup {
  const chosen = patients.find((p) => p.key === key);
  if (chosen) return chosen;
  const keys = patients.map((p) => `${p.key} (${described(p)})`).join('; ');
  throw new SeveralPatientsError(`no patient with key ${key} on the medium (it holds ${keys})`);
}

/** Every instance coerced and delivered, or skipped with its reason, in the medium's order. */
async function coerceAndDeliver(
  work: MediaWorker,
  media: MediaContents,
  outside: PatientGroup | undefined,
  options: ImportOptions,
): Promise<Pick<ImportReport, 'imported' | 'skipped'>> {
  const imported: ImportedFile[] = [];
  const skipped: Refusal[] = [...media.refused, ...media.skipped];
  const earlier = skipped.length;
  // Several instances in flight, their enqueues grouped by the outbox (importPipeline.ts); the
  // report keeps the disc's order and each file is imported only once its delivery resolved.
  const coerceOptions: WorkerCoerceOptions = {
    patient: options.patient,
    modifyingSystem: options.modifyingSystem,
    ...(options.accessionNumber !== undefined && { accessionNumber: options.accessionNumber }),
    ...(options.now && { now: options.now }),
  };
  await runImportPipeline(
    media.instances,
    {
      // Named by position, never by a UID read from the disc (which could hold '/' or '..').
      target: (_, i) => join(options.workFolder, `${String(earlier + i).padStart(6, '0')}.dcm`),
      prepare: async (instance, target) => {
        if (patientKeyOf(instance) !== outside?.key)
          throw new Error(
            `belongs to outside patient ${who(instance.patientId, instance.issuerOfPatientId, instance.patientName)}, not ${outside ? described(outside) : 'the one chosen'}`,
          );
        const expected = identityOf(instance);
        return (await work.coerce(instance.path, target, { ...coerceOptions, expected })).part10;
      },
      deliver: options.deliver,
      settle: (instance, outcome) => {
        if (outcome.ok) {
          const { sopInstanceUid } = instance;
          imported.push({ source: instance.path, sopInstanceUid, receipt: outcome.receipt });
        } else skipped.push({ path: instance.path, reason: fileErrorReason(outcome.error) });
      },
    },
    { inFlight: options.inFlight ?? work.inFlight },
  );
  return { imported, skipped };
}
