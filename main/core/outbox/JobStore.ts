/**
 * Where jobs live: `<spool>/jobs/<id>.json` (one small file per job, as admitted),
 * `<spool>/jobs/updates.jsonl` (every later change, the newest line per job winning:
 * UpdateJournal.ts) and `<spool>/files/<id>.dcm` (the spooled instance). The order of writes makes
 * every crash point recoverable: the job file is written before the instance is placed, and the
 * instance removed before the job file, so a job file without its instance is an enqueue that
 * never finished (or a removal that did) and is dropped on recovery — unless another live process
 * is registered as admitting right now (admitters.ts), whose batch it may be.
 *
 * With `admitToJournal` (only the process that holds the spool lock: createOutbox), a job is
 * admitted as a line of the journal instead of a job file, and removed with a removal line after
 * its instance; an admission line stands for a job file in everything above.
 *
 * Only the sending process (the lock's holder) saves job records once admitted: it owns job state
 * (it never re-reads a job it knows, and its compaction keeps its own view). Another process asks
 * it for a control through `<spool>/requests/` (controlRequests.ts): requestControl() there,
 * pendingControls() and removeControl() in the sender (ControlApplier.applyRequested).
 */
import { mkdir, readFile, readdir, rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../log/Logger';
import {
  copyFileDurably,
  moveFileDurably,
  removeFileDurably,
  syncFile,
  syncFolder,
  TEMP_PREFIX,
  writeFileDurably,
} from '../fs/durableFiles';
import { admitBatch, type Admission, type AdmitMode } from './admitBatch';
import { ControlRequests, type ControlRequest, type PendingControl } from './controlRequests';
import { othersAdmitting, whileAdmitting } from './admitters';
import { isJobFinished, isNeverTried, JobRecord, resetInterruptedSends } from './jobTypes';
import { UpdateJournal, type JournalContents } from './UpdateJournal';

export type { Admission, AdmitMode } from './admitBatch';

export interface LoadOptions {
  readonly recover: boolean;
  readonly known?: (jobId: string) => boolean;
}

/** Injected so tests can drive the outbox without a disk, and the app can add metrics. */
export interface JobStore {
  /**
   * Every job on disk. With `recover`, also repairs what a crash left (see the class doc).
   * `known`: ids the caller holds already; their files need not be read again (rescans).
   */
  load(options: LoadOptions): Promise<JobRecord[]>;
  /** Durably records the job file first, then places the instance. Resolves once both are on disk. */
  admit(job: JobRecord, source: string, mode: AdmitMode): Promise<void>;
  /**
   * Group commit: admits many at once with the same order per job (admitBatch.ts), sharing the
   * flushes. One entry per admission, in order: undefined once durable, else why it is absent.
   * Optional: without it the outbox admits one by one.
   */
  admitMany?(batch: readonly Admission[]): Promise<(Error | undefined)[]>;
  /** Durably records the job's new state (writes for one job are applied in call order). */
  save(job: JobRecord): Promise<void>;
  /** Removes the instance, then the job file. */
  remove(jobId: string): Promise<void>;
  /**
   * Optional: keeps only what `live` (every job still here, newest state) needs of what save()
   * recorded. Called by the sending process (it holds the spool lock) when it stops.
   */
  compact?(live: readonly JobRecord[]): Promise<void>;
  /** Path of the spooled instance, for senders. */
  instancePath(jobId: string): string;
  /** Bytes available to this user on the spool's file system. */
  freeBytes(): Promise<number>;
  /** Destinations a person paused, so a pause survives a restart. */
  loadPausedDestinations?(): Promise<string[]>;
  savePausedDestinations?(names: readonly string[]): Promise<void>;
  /**
   * Control requests, the only way a process that does not send changes job state (see the
   * module comment). Optional: without them (stores in memory) a follower's controls change the
   * records themselves, as before.
   * requestControl: resolves with the request's id once it is durable.
   */
  requestControl?(request: ControlRequest): Promise<string>;
  /**
   * Requests waiting, oldest first. `discardInvalid` (the sender only): one that does not
   * validate is moved aside and logged instead of returned.
   */
  pendingControls?(options: { discardInvalid: boolean }): Promise<PendingControl[]>;
  /** Removes an applied (or dropped) request durably. */
  removeControl?(id: string): Promise<void>;
}

export interface FileJobStoreOptions {
  /** Admit jobs as journal lines (see the module comment); only for the spool lock's holder. */
  readonly admitToJournal?: boolean;
}

export class FileJobStore implements JobStore {
  private readonly jobsFolder: string;
  private readonly filesFolder: string;
  private readonly journal: UpdateJournal;
  /** Jobs whose newest record is a journal line (read at load, or saved since). */
  private readonly journalled = new Set<string>();
  /** Jobs admitted by a journal line, having no job file. */
  private readonly journalAdmitted = new Set<string>();
  private readonly controls: ControlRequests;
  private foldersMade: Promise<void> | undefined;

  constructor(
    readonly folder: string,
    private readonly logger?: Logger,
    private readonly options: FileJobStoreOptions = {},
  ) {
    this.jobsFolder = join(folder, 'jobs');
    this.filesFolder = join(folder, 'files');
    this.journal = new UpdateJournal(join(this.jobsFolder, 'updates.jsonl'));
    this.controls = new ControlRequests(join(folder, 'requests'), logger);
  }

  instancePath(jobId: string): string {
    return join(this.filesFolder, `${jobId}.dcm`);
  }

  private jobPath(jobId: string): string {
    return join(this.jobsFolder, `${jobId}.json`);
  }

  /** Creates the spool's folders once per store (four mkdir calls per enqueue before). */
  async ensureFolders(): Promise<void> {
    this.foldersMade ??= (async () => {
      await mkdir(this.jobsFolder, { recursive: true, mode: 0o700 });
      await mkdir(this.filesFolder, { recursive: true, mode: 0o700 });
    })().catch((error: unknown) => {
      this.foldersMade = undefined; // try again next time
      throw error;
    });
    await this.foldersMade;
  }

  async freeBytes(): Promise<number> {
    await this.ensureFolders();
    const stats = await statfs(this.folder);
    return Number(stats.bavail) * Number(stats.bsize);
  }

  async loadPausedDestinations(): Promise<string[]> {
    const parsed = PausedFile.safeParse(safeJson(await readText(this.controlPath())));
    return parsed.success ? parsed.data.pausedDestinations : [];
  }

  async savePausedDestinations(names: readonly string[]): Promise<void> {
    await this.ensureFolders();
    await writeFileDurably(this.controlPath(), JSON.stringify({ pausedDestinations: names }));
  }

  private controlPath(): string {
    return join(this.folder, 'control.json');
  }

  requestControl(request: ControlRequest): Promise<string> {
    return this.controls.write(request);
  }

  pendingControls(options: { discardInvalid: boolean }): Promise<PendingControl[]> {
    return this.controls.pending(options);
  }

  removeControl(id: string): Promise<void> {
    return this.controls.remove(id);
  }

  async admit(job: JobRecord, source: string, mode: AdmitMode): Promise<void> {
    if (this.options.admitToJournal) {
      const [error] = await this.admitMany([{ job, source, mode }]);
      if (error) throw error;
      return;
    }
    await this.ensureFolders();
    await whileAdmitting(this.folder, () => this.admitAsFiles(job, source, mode));
  }

  /** admit() without the journal: job file, then instance (see admitters.ts for recovery). */
  private async admitAsFiles(job: JobRecord, source: string, mode: AdmitMode): Promise<void> {
    // The job must be durable before the instance is placed (recovery relies on that order); the
    // source's own fsync does not depend on it, so with move both flushes run at once.
    const [saved, synced] = await Promise.allSettled([
      writeFileDurably(this.jobPath(job.id), JSON.stringify(job)),
      mode === 'move' ? syncFile(source) : Promise.resolve(),
    ]);
    if (saved.status === 'rejected') throw saved.reason;
    try {
      if (synced.status === 'rejected') throw synced.reason;
      if (mode === 'move')
        await moveFileDurably(source, this.instancePath(job.id), { sourceSynced: true });
      else await copyFileDurably(source, this.instancePath(job.id));
    } catch (error) {
      await removeFileDurably(this.jobPath(job.id));
      throw error;
    }
  }

  async admitMany(batch: readonly Admission[]): Promise<(Error | undefined)[]> {
    await this.ensureFolders();
    const admitAll = () =>
      admitBatch(
        {
          jobsFolder: this.jobsFolder,
          filesFolder: this.filesFolder,
          jobPath: (id) => this.jobPath(id),
          instancePath: (id) => this.instancePath(id),
          journal: this.options.admitToJournal ? this.journal : undefined,
        },
        batch,
      );
    // Job files (no lock): registered, so the lock holder's recovery leaves the batch alone.
    const errors = this.options.admitToJournal
      ? await admitAll()
      : await whileAdmitting(this.folder, admitAll);
    if (this.options.admitToJournal)
      batch.forEach(({ job }, i) => {
        if (errors[i] !== undefined) return;
        this.journalAdmitted.add(job.id);
        this.journalled.add(job.id);
      });
    return errors;
  }

  async save(job: JobRecord): Promise<void> {
    await this.ensureFolders();
    this.journalled.add(job.id);
    await this.journal.append(job);
  }

  /**
   * A live job this process recorded keeps its state as this process knows it; one only another
   * process recorded (a job this process never changed) keeps that process's newest line. A save
   * made after this call is appended after the compaction (UpdateJournal.compact).
   */
  compact(live: readonly JobRecord[]): Promise<void> {
    const keep = ({ newest }: JournalContents) =>
      live.flatMap((job) => {
        if (this.journalled.has(job.id)) return [job];
        const recorded = newest.get(job.id);
        return recorded ? [recorded] : [];
      });
    return this.journal.compact(keep, this.journalAdmitted);
  }

  /**
   * A line the journal still holds for a removed job is ignored: it has no job file (or, admitted
   * by the journal, a removal line follows it).
   */
  async remove(jobId: string): Promise<void> {
    this.journalled.delete(jobId);
    await removeFileDurably(this.instancePath(jobId));
    if (this.journalAdmitted.delete(jobId)) await this.journal.forget([jobId]);
    else await removeFileDurably(this.jobPath(jobId));
  }

  async load({ recover, known }: LoadOptions): Promise<JobRecord[]> {
    await this.ensureFolders();
    // Another process admitting job files right now (admitters.ts): its temporaries and its job
    // files still waiting for their instances are not a crash's leftovers. Left for later.
    const repair = recover && !(await othersAdmitting(this.folder));
    if (repair) await this.removeTemporaries();
    // A rescan every 2 s used to read and parse every job file: 2,000 files per rescan by the
    // end of a 2,000-instance import (bench/import). Only new ones are read now.
    const names = (await readdir(this.jobsFolder)).filter(
      (name) =>
        name.endsWith('.json') &&
        !name.startsWith(TEMP_PREFIX) &&
        !(known?.(name.slice(0, -'.json'.length)) ?? false),
    );
    const spooled = new Set(await readdir(this.filesFolder));
    // Only the lock holder admits to the journal, and `known` comes from that sender's rescan:
    // every journal admission is then known already. Any other load reads the journal.
    const { newest: updates, admitted: inJournal } =
      names.length > 0 || !known
        ? await this.readJournal(recover)
        : { newest: new Map<string, JobRecord>(), admitted: new Set<string>() };
    const fromJournal = [...inJournal].filter((id) => !(known?.(id) ?? false)).sort();
    const jobs: JobRecord[] = [];
    const journalled: JobRecord[] = [];
    const admittedRecords = async function* (store: FileJobStore) {
      for (const name of names.sort()) yield await store.readJob(name);
      for (const id of fromJournal) yield updates.get(id);
    };
    for await (const admitted of admittedRecords(this)) {
      if (!admitted) continue;
      const job = updates.get(admitted.id) ?? admitted;
      if (!spooled.has(`${job.id}.dcm`)) {
        if (repair) {
          if (await this.recoverMissingInstance(job)) continue;
        } else if (isNeverTried(job) || isJobFinished(job)) continue;
        else jobs.push(job);
        if (updates.has(job.id)) journalled.push(job);
        continue;
      }
      if (updates.has(job.id)) journalled.push(job);
      jobs.push(recover ? resetInterruptedSends(job, new Date().toISOString()) : job);
    }
    for (const job of journalled) this.journalled.add(job.id);
    for (const job of journalled) if (inJournal.has(job.id)) this.journalAdmitted.add(job.id);
    // Only the newest line of each job still here is kept; 'sending' stays as recorded (it is
    // reset on every recovery, never trusted).
    if (recover) await this.journal.compact(journalled, inJournal);
    return jobs;
  }

  /** The journal's newest record per job; unreadable lines (a torn tail) are skipped. */
  private async readJournal(recover: boolean): Promise<JournalContents> {
    const contents = await this.journal.read();
    if (recover && contents.unreadableLines > 0)
      this.logger?.warn('outbox: unreadable lines in the update journal skipped', {
        lines: contents.unreadableLines,
      });
    return contents;
  }

  private async readJob(name: string): Promise<JobRecord | undefined> {
    let text: string;
    try {
      text = await readFile(join(this.jobsFolder, name), 'utf8');
    } catch {
      return undefined; // removed meanwhile by the process that sends
    }
    const parsed = JobRecord.safeParse(safeJson(text));
    if (parsed.success) return parsed.data;
    // Cannot happen with atomic renames; if it does, keep the file for a person and say so.
    this.logger?.error('outbox: unreadable job file left in place', { file: name });
    return undefined;
  }

  /**
   * A job file whose instance is gone: an unfinished enqueue, or an unfinished removal (then the
   * job file is removed: true). Otherwise the job is kept for a person and the error logged.
   */
  private async recoverMissingInstance(job: JobRecord): Promise<boolean> {
    if (isNeverTried(job) || isJobFinished(job)) {
      await removeFileDurably(this.jobPath(job.id));
      return true;
    }
    this.logger?.error('outbox: spooled instance missing for an unfinished job', {
      jobId: job.id,
      sopInstanceUid: job.sopInstanceUid,
    });
    return false;
  }

  private async removeTemporaries(): Promise<void> {
    for (const folder of [this.jobsFolder, this.filesFolder]) {
      const leftovers = (await readdir(folder)).filter((name) => name.startsWith(TEMP_PREFIX));
      await Promise.all(leftovers.map((name) => rm(join(folder, name), { force: true })));
      if (leftovers.length > 0) await syncFolder(folder);
    }
  }
}

const PausedFile = z.object({ pausedDestinations: z.array(z.string()) });

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
