import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { z } from 'zod';
import { ReviewItem } from '../../../preload/features/review';
import {
  TEMP_PREFIX,
  moveFileDurably,
  removeFileDurably,
  syncFolderCoalesced,
  temporaryNameFor,
  writeFileDurably,
  writeSynced,
} from '../fs/durableFiles';
import type { Logger } from '../log/Logger';
import { StationError } from '../rpc/dispatch';

/** What the store records of a capture; the media file lives beside it. */
export type ReviewRecord = ReviewItem & {
  /** File name of the media inside the store (`<id>.jpg`, `<id>.mp4`). */
  readonly media: string;
  /**
   * Set just before Send hands the capture to the outbox: the SOP Instance UID it is wrapped
   * with. Found after a restart, it tells whether the outbox took it (see ReviewService).
   */
  readonly handoff?: { readonly sopInstanceUid: string };
  /** A video: the recording file it was made from (so a recording is never held twice). */
  readonly recording?: string;
  /** Made at start from a recording the station left behind (recoverRecordings.ts). */
  readonly recovered?: true;
};

type NewRecord = Omit<ReviewRecord, 'id' | 'media' | 'bytes'>;

const RECORD_SUFFIX = '.json';
/** A record as read back: checked, so a damaged file is reported, not half-trusted. */
const StoredRecord = ReviewItem.extend({
  media: z.string().regex(/^[0-9a-f-]{36}\.[a-z0-9]{2,4}$/),
  handoff: z.object({ sopInstanceUid: z.string().regex(/^[0-9.]{1,64}$/) }).optional(),
  recording: z.string().max(255).optional(),
  recovered: z.literal(true).optional(),
});

/**
 * The review store (issue 6, item 5): one folder in the data folder holding each capture that was
 * taken but not yet sent — `<id>.jpg|.mp4` and `<id>.json` beside it. Every write is durable
 * (temp file, fsync, rename, folder fsync: ../fs/durableFiles.ts) and the JSON record is
 * written last, so it is the commit point: a capture is listed (after a crash too) exactly when
 * its record exists, and its media is then complete. Media without a record (a crash between the
 * two writes) is kept and logged, never deleted: the shutter had not said "saved" for it, but it
 * is still a clinical image. Temporary files of interrupted writes are removed when opened.
 */
export class ReviewStore {
  private opened: Promise<void> | undefined;

  constructor(
    readonly folder: string,
    private readonly log: Logger,
  ) {}

  /**
   * Writes the bytes and the record; resolves once both are durable. The shutter waits for this,
   * so it costs one round of syncs, not two: both temporaries are written and fdatasynced side by
   * side, renamed media first, then one fsync of the folder makes both names durable. A crash
   * between the renames and that fsync may leave a record without its media (the shutter had not
   * resolved): list() skips such a record and logs it.
   */
  async addBytes(record: NewRecord, bytes: Uint8Array, extension: string): Promise<ReviewRecord> {
    await this.open();
    const id = randomUUID();
    const media = `${id}${extension}`;
    const full: ReviewRecord = { ...record, id, media, bytes: bytes.length };
    const mediaPath = join(this.folder, media);
    const files: [string, string | Uint8Array, string][] = [
      [temporaryNameFor(mediaPath), bytes, mediaPath],
      [temporaryNameFor(this.recordPath(id)), serialise(full), this.recordPath(id)],
    ];
    try {
      await Promise.all(files.map(([temporary, data]) => writeSynced(temporary, data)));
      for (const [temporary, , final] of files) await rename(temporary, final);
      await syncFolderCoalesced(this.folder);
    } catch (error) {
      for (const [temporary, , final] of files) {
        await rm(temporary, { force: true });
        await rm(final, { force: true });
      }
      throw error;
    }
    return full;
  }

  /** Moves a finished file into the store (same disk: a rename), then writes the record. */
  async addFile(record: NewRecord, file: string): Promise<ReviewRecord> {
    await this.open();
    const id = randomUUID();
    const media = `${id}${extname(file)}`;
    const { size } = await stat(file);
    await moveFileDurably(file, join(this.folder, media));
    return this.commit({ ...record, id, media, bytes: size });
  }

  /** Every committed capture, oldest first. A record that cannot be read is logged and skipped. */
  async list(): Promise<ReviewRecord[]> {
    await this.open();
    const names = (await readdir(this.folder)).filter(
      (name) => name.endsWith(RECORD_SUFFIX) && !name.startsWith(TEMP_PREFIX),
    );
    const records: ReviewRecord[] = [];
    for (const name of names) {
      const record = await this.read(name.slice(0, -RECORD_SUFFIX.length)).catch(
        (error: unknown) => {
          this.log.error('a review record cannot be read', { name, error });
          return undefined;
        },
      );
      if (record && !existsSync(this.mediaPath(record)))
        this.log.error('a review record names media that is not there (skipped)', { name });
      else if (record) records.push(record);
    }
    return records.sort((a, b) => a.capturedAt.localeCompare(b.capturedAt));
  }

  /** Throws StationError when no capture with this id is in review. */
  async get(id: string): Promise<ReviewRecord> {
    await this.open();
    try {
      return await this.read(id);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new StationError(`capture ${id} is not in review (sent or deleted already)`);
      throw error;
    }
  }

  mediaPath(record: ReviewRecord): string {
    return join(this.folder, record.media);
  }

  /** Replaces the record durably (the media is never rewritten). */
  async update(record: ReviewRecord): Promise<ReviewRecord> {
    return this.commit(record);
  }

  /** Removes the record first (the capture leaves the list), then its media. */
  async remove(record: ReviewRecord): Promise<void> {
    await removeFileDurably(this.recordPath(record.id));
    await removeFileDurably(this.mediaPath(record));
  }

  private async commit(record: ReviewRecord): Promise<ReviewRecord> {
    await writeFileDurably(this.recordPath(record.id), serialise(record));
    return record;
  }

  private async read(id: string): Promise<ReviewRecord> {
    const json: unknown = JSON.parse(await readFile(this.recordPath(id), 'utf8'));
    return StoredRecord.parse(json);
  }

  private recordPath(id: string): string {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new StationError(`${id}: not a review capture id`);
    return join(this.folder, `${id}${RECORD_SUFFIX}`);
  }

  private open(): Promise<void> {
    this.opened ??= this.recover();
    return this.opened;
  }

  /** Removes temporaries of interrupted writes; reports media that never got its record. */
  private async recover(): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    const names = await readdir(this.folder);
    const records = new Set(names.filter((n) => n.endsWith(RECORD_SUFFIX)));
    for (const name of names) {
      if (name.startsWith(TEMP_PREFIX)) await rm(join(this.folder, name), { force: true });
      else if (!name.endsWith(RECORD_SUFFIX) && !records.has(`${stem(name)}${RECORD_SUFFIX}`))
        this.log.warn('a capture in the review folder has no record (kept)', { name });
    }
  }
}

function serialise(record: ReviewRecord): string {
  return JSON.stringify(record, null, 1);
}

function stem(name: string): string {
  return name.slice(0, name.length - extname(name).length);
}
