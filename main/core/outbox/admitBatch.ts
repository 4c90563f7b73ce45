/**
 * Group commit of many enqueues (bench/import: one instance at a time waited on 4–6 flushes in a
 * row, ~60% of an import). The order of one admit is kept for the whole batch, so every crash
 * point stays recoverable exactly as for one job:
 *
 *   1. each job record to a temporary name, and each instance's data (move: the source; copy: a
 *      temporary copy in the spool), all made durable: a group of at least SYNC_WHOLE_MIN with
 *      one syncfs of the spool's file system and one flush (syncFileSystem.ts), a smaller one
 *      (a lone capture) or where syncfs is missing with an fdatasync per file;
 *   2. the job records renamed to their names, then ONE fsync of the jobs folder;
 *   3. only then the instances renamed into the spool, then ONE fsync of the files folder (and one
 *      per source folder with move).
 *
 * A crash before 3 leaves job files without instances: never-tried jobs, dropped by recovery, the
 * sources untouched where they were (the import redoes them). A crash during 3 leaves each job
 * either whole (job + instance) or without its instance (dropped, source in place): never a job
 * pointing at a partial file, since an instance's data is durable before its rename.
 *
 * With a journal (the sending process, UpdateJournal.ts), step 2 is one append of every job's
 * admission line instead of job files and their renames; its fdatasync is also the device flush
 * that makes step 1's syncfs durable. Recovery treats an admission line like a job file.
 */
import { constants } from 'node:fs';
import { copyFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  copySynced,
  datasyncFile,
  moveFileDurably,
  removeFileDurably,
  syncFolder,
  syncFolderCoalesced,
  temporaryNameFor,
  writeSynced,
} from '../fs/durableFiles';
import { canSyncFileSystem, syncFileSystem } from '../fs/syncFileSystem';
import type { JobRecord } from './jobTypes';
import type { UpdateJournal } from './UpdateJournal';

/**
 * Groups at least this big are made durable with one syncfs. Measured (bench/import, 2,000
 * instances with 4 in flight, groups of 8–64): import and send 16.0–16.5 s against 19.2–21.6 s
 * with two fdatasyncs per instance. A lone capture keeps its own fdatasyncs: a syncfs would also
 * wait for whatever else is dirty on that disk.
 */
export const SYNC_WHOLE_MIN = 8;

export type AdmitMode = 'copy' | 'move';

export interface Admission {
  readonly job: JobRecord;
  readonly source: string;
  readonly mode: AdmitMode;
}

/** Where a batch goes; FileJobStore's layout. */
export interface SpoolPaths {
  readonly jobsFolder: string;
  readonly filesFolder: string;
  jobPath(jobId: string): string;
  instancePath(jobId: string): string;
  /** Set: jobs are admitted as journal lines, not job files (see the module comment). */
  readonly journal?: Pick<UpdateJournal, 'admit' | 'forget'>;
}

interface Staged {
  readonly admission: Admission;
  readonly index: number;
  /** The job file's temporary name; none when the job goes to the journal. */
  readonly jobTemp: string | undefined;
  /** With copy: the durable copy waiting for its name. With move: the source itself. */
  readonly data: string;
}

/**
 * Admits every admission it can; one result per admission, in order: undefined once the job and
 * its instance are durable, else the error (that job and its instance are then absent, and with
 * move the source is where it was).
 */
export async function admitBatch(
  spool: SpoolPaths,
  batch: readonly Admission[],
): Promise<(Error | undefined)[]> {
  const errors: (Error | undefined)[] = batch.map(() => undefined);
  const fail = (index: number, error: unknown) => {
    errors[index] = error instanceof Error ? error : new Error(String(error));
  };
  const syncEach = batch.length < SYNC_WHOLE_MIN || !canSyncFileSystem();
  let staged = (await Promise.all(batch.map((a, i) => stage(spool, a, i, fail, syncEach)))).filter(
    (s): s is Staged => s !== undefined,
  );
  if (!syncEach) staged = await syncStaged(spool, staged, fail);
  const named = spool.journal
    ? await journalJobs(spool.journal, staged, fail)
    : await nameJobs(spool, staged, fail);
  await placeInstances(spool, named, fail);
  const unplaced = named
    .filter((s) => errors[s.index] !== undefined)
    .map((s) => s.admission.job.id);
  if (spool.journal) await spool.journal.forget(unplaced).catch(() => undefined);
  else
    await Promise.all(
      unplaced.map((id) => removeFileDurably(spool.jobPath(id)).catch(() => undefined)),
    );
  return errors;
}

/** Step 1 for one admission; `syncEach`: fdatasync its files here (else syncStaged does). */
async function stage(
  spool: SpoolPaths,
  admission: Admission,
  index: number,
  fail: (index: number, error: unknown) => void,
  syncEach: boolean,
): Promise<Staged | undefined> {
  const { job, source, mode } = admission;
  const jobTemp = spool.journal ? undefined : temporaryNameFor(spool.jobPath(job.id));
  const data = mode === 'move' ? source : temporaryNameFor(spool.instancePath(job.id));
  const record = JSON.stringify(job);
  const writeJob = (): Promise<void> => {
    if (jobTemp === undefined) return Promise.resolve();
    return syncEach ? writeSynced(jobTemp, record) : writeFile(jobTemp, record, EXCLUSIVE);
  };
  const writeData = (): Promise<void> => {
    if (mode === 'move') return syncEach ? datasyncFile(source) : Promise.resolve();
    return syncEach ? copySynced(source, data) : copyFile(source, data, constants.COPYFILE_EXCL);
  };
  const flushes = await Promise.allSettled([writeJob(), writeData()]);
  const failed = flushes.find((f) => f.status === 'rejected');
  const staged: Staged = { admission, index, jobTemp, data };
  if (!failed) return staged;
  fail(index, failed.reason);
  await discardData(staged);
  return undefined;
}

const EXCLUSIVE = { flag: 'wx', mode: 0o600 } as const;

/**
 * Step 1's flush for a whole group: one syncfs of the spool's file system (a source moved from
 * another file system is copied durably in step 3 instead), then one fsync of the jobs folder,
 * which on ext4 without a journal is what issues a device flush after the metadata syncfs
 * writes last (with a journal, its append's fdatasync does). Nothing published on failure.
 */
function syncStaged(
  spool: SpoolPaths,
  staged: readonly Staged[],
  fail: (index: number, error: unknown) => void,
): Promise<Staged[]> {
  return wholeGroup(staged, fail, async () => {
    await syncFileSystem(spool.jobsFolder);
    if (!spool.journal) await syncFolder(spool.jobsFolder);
  });
}

/**
 * Runs a step that is durable for the whole group or not at all: on failure every member fails
 * and its data is discarded, and none goes on to the next step.
 */
async function wholeGroup(
  staged: readonly Staged[],
  fail: (index: number, error: unknown) => void,
  step: () => Promise<void>,
): Promise<Staged[]> {
  if (staged.length === 0) return [];
  try {
    await step();
    return [...staged];
  } catch (error) {
    for (const s of staged) {
      fail(s.index, error);
      await discardData(s);
    }
    return [];
  }
}

/** Step 2: all job names, one folder flush. A failed flush fails the whole batch. */
async function nameJobs(
  spool: SpoolPaths,
  staged: readonly Staged[],
  fail: (index: number, error: unknown) => void,
): Promise<Staged[]> {
  // Renames within a step run at once (each waits for a thread of the fs pool, which the
  // sender's writes share); only the order between the steps matters.
  const renamed = await Promise.all(
    staged.map(async (s) => {
      try {
        // Every job staged without a journal has its temporary job file (stage()).
        if (s.jobTemp !== undefined) await rename(s.jobTemp, spool.jobPath(s.admission.job.id));
        return true;
      } catch (error) {
        fail(s.index, error);
        await discardData(s);
        return false;
      }
    }),
  );
  const named = staged.filter((_, i) => renamed[i]);
  if (named.length === 0) return named;
  try {
    await syncFolderCoalesced(spool.jobsFolder);
    return named;
  } catch (error) {
    // Names not known durable: none of these instances may be placed; their job files go.
    for (const s of named) {
      fail(s.index, error);
      await discardData(s);
      await removeFileDurably(spool.jobPath(s.admission.job.id)).catch(() => undefined);
    }
    return [];
  }
}

/** Step 2 with a journal: every job's admission line in one durable append. */
function journalJobs(
  journal: Pick<UpdateJournal, 'admit'>,
  staged: readonly Staged[],
  fail: (index: number, error: unknown) => void,
): Promise<Staged[]> {
  return wholeGroup(staged, fail, () => journal.admit(staged.map((s) => s.admission.job)));
}

/** Step 3: the instances into the spool, one flush per folder touched. */
async function placeInstances(
  spool: SpoolPaths,
  named: readonly Staged[],
  fail: (index: number, error: unknown) => void,
): Promise<void> {
  const placed: Staged[] = [];
  const sourceFolders = new Set<string>();
  const crossDevice: Staged[] = [];
  await Promise.all(
    named.map(async (s) => {
      try {
        await rename(s.data, spool.instancePath(s.admission.job.id));
        placed.push(s);
        if (s.admission.mode === 'move') sourceFolders.add(dirname(s.data));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EXDEV') crossDevice.push(s);
        else {
          fail(s.index, error);
          await discardData(s);
        }
      }
    }),
  );
  // Another file system: a durable copy then unlink, one at a time (rare: a spool on another disk).
  for (const s of crossDevice) {
    try {
      await moveFileDurably(s.data, spool.instancePath(s.admission.job.id), { sourceSynced: true });
    } catch (error) {
      fail(s.index, error);
    }
  }
  if (placed.length === 0) return;
  try {
    await Promise.all([
      syncFolderCoalesced(spool.filesFolder),
      ...[...sourceFolders].map((folder) => syncFolder(folder)),
    ]);
  } catch (error) {
    // The renames may not be durable: put each instance back where it came from.
    for (const s of placed) {
      fail(s.index, error);
      await rename(spool.instancePath(s.admission.job.id), s.data).catch(() => undefined);
      await discardData(s);
    }
  }
}

/** A copy made for the spool is removed; a source (move) is left to its owner. */
async function discardData(s: Staged): Promise<void> {
  if (s.jobTemp !== undefined) await rm(s.jobTemp, { force: true });
  if (s.admission.mode === 'copy') await rm(s.data, { force: true });
}
