/**
 * The outbox's update journal: every change to a job after its admission (a delivery sent,
 * failed, retried, paused, committed) is appended to one file, `<spool>/jobs/updates.jsonl`, as
 * the job's whole record on one line. The newest line for a job wins over its job file, which
 * keeps the record as admitted.
 *
 * Why not replace the job file as before: that was a temporary file, an fdatasync, a rename and a
 * folder fsync per delivery — 3.7 of the 6.6 s of CPU the outbox spent sending 2,000 instances
 * (bench/import), and an inode freed per delivery, which ext4 without a journal skips over on
 * every later file creation for a minute. Here, lines that arrive while a flush runs wait and go
 * together in the next one: one write and one fdatasync for the whole group (group commit), and
 * a change is durable when its promise resolves, as before.
 *
 * The process that sends (it holds the spool lock) also admits jobs here (FileJobStore with
 * admitToJournal): an admission line is the job's record marked `"admitted":true`, and removing
 * such a job appends `{"removed":"<id>"}`. That spares a file creation per job, which on the
 * bench disk's ext4 cost ~1.7 ms of CPU each (2,000 small files: 3.4 s of system time).
 *
 * Crash safety: appends never touch earlier bytes, so a crash can only leave a torn last line,
 * which was never acknowledged; reading skips any line that does not parse as a job record. Every
 * flush starts with a newline, so a torn tail cannot swallow the next line. Several processes may
 * append (O_APPEND, one write per flush); only the process that holds the spool lock compacts:
 * when it recovers the spool and when it stops (compact()). Other processes therefore never admit
 * here: a compaction could drop an admission line written between its read and its rename. This
 * process's own lines cannot be lost that way: from the call of compact() to its rename, flushes
 * wait, and then go to the new file.
 */
import { open, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { renameReplacing, syncFolder, temporaryNameFor, writeSynced } from '../fs/durableFiles';
import { JobRecord } from './jobTypes';

interface Waiting {
  readonly lines: readonly string[];
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/**
 * What read() found: the newest record per job id (none for a removed job), the jobs admitted
 * here and not removed since, and how many lines did not parse.
 */
export interface JournalContents {
  readonly newest: ReadonlyMap<string, JobRecord>;
  readonly admitted: ReadonlySet<string>;
  readonly unreadableLines: number;
}

const RemovalLine = z.object({ removed: z.string() });
const AdmissionMark = z.object({ admitted: z.literal(true) });

const admissionLine = (job: JobRecord): string => JSON.stringify({ admitted: true, ...job });

/** The records a compaction keeps, chosen from what the journal holds once its appends wait. */
export type KeepFromJournal = (current: JournalContents) => readonly JobRecord[];

export class UpdateJournal {
  private waiting: Waiting[] = [];
  /** The flush loop while it runs. */
  private flushing: Promise<void> | undefined;
  /** A compaction from its call to its rename: no flush starts meanwhile (see compact()). */
  private compacting: Promise<void> | undefined;
  /** The folder is fsynced after this process's first flush: a new file's name is durable too. */
  private nameSynced = false;

  constructor(readonly path: string) {}

  /** Appends the job's record; resolves once it is on disk, rejects (not recorded) on failure. */
  append(job: JobRecord): Promise<void> {
    return this.appendLines([JSON.stringify(job)]);
  }

  /** Admits the jobs (lock holder only, see the module comment); all or none are recorded. */
  admit(jobs: readonly JobRecord[]): Promise<void> {
    return this.appendLines(jobs.map(admissionLine));
  }

  /** Records that these jobs admitted here are gone (their instances removed first). */
  forget(jobIds: readonly string[]): Promise<void> {
    return this.appendLines(jobIds.map((id) => JSON.stringify({ removed: id })));
  }

  private appendLines(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ lines, resolve, reject });
      this.startFlushing();
    });
  }

  private startFlushing(): void {
    if (this.flushing || this.compacting) return;
    this.flushing = this.flushAll().finally(() => {
      this.flushing = undefined;
      // Lines appended after the loop's last look and before this callback: flush them too.
      if (this.waiting.length > 0) this.startFlushing();
    });
  }

  /** Never rejects: each group's outcome goes to its own waiters. Stops early for a compaction. */
  private async flushAll(): Promise<void> {
    while (this.waiting.length > 0 && !this.compacting) {
      const group = this.waiting.splice(0);
      try {
        await this.write(`\n${group.flatMap((w) => w.lines).join('\n')}\n`);
        for (const w of group) w.resolve();
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(String(error));
        for (const w of group) w.reject(failure);
      }
    }
  }

  private async write(text: string): Promise<void> {
    const bytes = Buffer.from(text, 'utf8');
    const handle = await open(this.path, 'a', 0o600);
    try {
      const { bytesWritten } = await handle.write(bytes);
      // A short append (disk full) leaves a partial line that reading skips; the group failed.
      if (bytesWritten !== bytes.length)
        throw new Error(`${this.path}: only ${bytesWritten} of ${bytes.length} bytes appended`);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    if (!this.nameSynced) {
      await syncFolder(dirname(this.path));
      this.nameSynced = true;
    }
  }

  /** Every complete line, newest record per job; a missing file is an empty journal. */
  async read(): Promise<JournalContents> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return { newest: new Map(), admitted: new Set(), unreadableLines: 0 };
      throw error;
    }
    const newest = new Map<string, JobRecord>();
    const admitted = new Set<string>();
    let unreadableLines = 0;
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const json = parseJson(line);
      const removal = RemovalLine.safeParse(json);
      if (removal.success) {
        newest.delete(removal.data.removed);
        admitted.delete(removal.data.removed);
        continue;
      }
      const parsed = JobRecord.safeParse(json);
      if (!parsed.success) {
        unreadableLines++;
        continue;
      }
      newest.set(parsed.data.id, parsed.data);
      if (AdmissionMark.safeParse(json).success) admitted.add(parsed.data.id);
    }
    return { newest, admitted, unreadableLines };
  }

  /**
   * Rewrites the journal with one line per record in `keep` (the newest state of jobs still
   * spooled; those in `admitted` as admission lines, having no job file), atomically: temporary
   * file, fdatasync, rename, folder fsync; removed when nothing is kept. `keep` may be a function
   * of the journal as read once this process's appends wait. Only for the process holding the
   * spool lock: a line another process appended between that read and the rename would be lost
   * (a person's retry typed in that instant). A line this process appends after the call waits
   * and goes to the new file; a line appended before it must be stood for by `keep`. If the
   * compaction fails, the waiting lines are appended all the same.
   */
  async compact(
    keep: readonly JobRecord[] | KeepFromJournal,
    admitted: ReadonlySet<string> = new Set(),
  ): Promise<void> {
    const compaction = this.rewrite(keep, admitted);
    this.compacting = compaction;
    try {
      await compaction;
    } finally {
      if (this.compacting === compaction) this.compacting = undefined;
      if (this.waiting.length > 0) this.startFlushing();
    }
  }

  private async rewrite(
    keep: readonly JobRecord[] | KeepFromJournal,
    admitted: ReadonlySet<string>,
  ): Promise<void> {
    // The group being written finishes; no other starts until the rename (startFlushing).
    await this.flushing;
    const records = typeof keep === 'function' ? keep(await this.read()) : keep;
    if (records.length === 0) {
      this.nameSynced = false; // the next append creates the file again: its name needs a sync
      await rm(this.path, { force: true });
      await syncFolder(dirname(this.path));
      return;
    }
    const temporary = temporaryNameFor(this.path);
    try {
      const line = (job: JobRecord) =>
        admitted.has(job.id) ? admissionLine(job) : JSON.stringify(job);
      await writeSynced(temporary, `${records.map(line).join('\n')}\n`);
      await renameReplacing(temporary, this.path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    await syncFolder(dirname(this.path));
    this.nameSynced = true;
  }
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}
