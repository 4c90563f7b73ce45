import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, readdir, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { RecordingStart, type RecordingChunk } from '../../../preload/contract';
import { removeFileDurably, syncFolder, writeFileDurably } from '../fs/durableFiles';
import { StationError } from '../rpc/dispatch';
import { requireStudyUid } from './procedureIdentity';

interface Recording {
  readonly file: string;
  readonly handle: FileHandle;
  readonly start: RecordingStart;
  nextSeq: number;
  bytes: number;
  /** Appends run one after another, in the order received. */
  tail: Promise<unknown>;
}

/** A recording file in the folder that no recording of this process is writing or handing over. */
export interface LeftRecording {
  readonly file: string;
  readonly bytes: number;
  /** ISO 8601: when its last chunk was written. */
  readonly modifiedAt: string;
  /** From its metadata file; absent when that is missing or unreadable (see `problem`). */
  readonly start?: RecordingStart;
  readonly problem?: string;
}

const MEDIA_NAME = /^recording-([0-9a-f-]{36})\.(mp4|mkv)$/;
const METADATA_NAME = /^recording-([0-9a-f-]{36})\.json$/;
/** What a recording is of, written before its first byte: see `start`. */
const Metadata = z.object({ version: z.literal(1), recordingId: z.uuid(), start: RecordingStart });

/** The metadata file beside a recording made here; undefined for any other file. */
export function recordingMetadataPath(file: string): string | undefined {
  const match = MEDIA_NAME.exec(basename(file));
  return match ? join(dirname(file), `recording-${match[1]}.json`) : undefined;
}

/**
 * Video recording to disk as it happens (issue 6): each chunk from the renderer's MediaRecorder is
 * appended and flushed (fdatasync) before the next is accepted, so a crash loses at most the last
 * chunk and a long procedure never sits in memory. Chunks must arrive in sequence; a gap or a
 * repeat is refused so the file is exactly what was recorded. `finish` hands the file over (to
 * review, which remuxes and holds it until Send).
 */
export class RecordingService {
  private readonly recordings = new Map<string, Recording>();
  /** Every recording this process started: never taken for one left behind (leftBehind). */
  private readonly mine = new Set<string>();

  constructor(private readonly folder: string) {}

  /** StationError for an item the station cannot place in a study (procedureIdentity.ts). */
  async start(start: RecordingStart): Promise<{ recordingId: string }> {
    requireStudyUid(start.item);
    await mkdir(this.folder, { recursive: true });
    const recordingId = randomUUID();
    const extension = /matroska|webm/i.test(start.mimeType) ? 'mkv' : 'mp4';
    const file = join(this.folder, `recording-${recordingId}.${extension}`);
    this.mine.add(recordingId);
    // Patient, procedure, region and start time, durable before the recording file exists: if
    // the station closes before `finish`, the next start can still put the video in review for
    // the right patient (leftBehind, recoverRecordings.ts) rather than leave an anonymous file.
    const metadata = recordingMetadataPath(file) ?? `${file}.json`;
    await writeFileDurably(metadata, JSON.stringify({ version: 1, recordingId, start }));
    let handle: FileHandle;
    try {
      handle = await open(file, 'wx');
      await syncFolder(this.folder);
    } catch (error) {
      await rm(metadata, { force: true });
      throw error;
    }
    this.recordings.set(recordingId, {
      file,
      handle,
      start,
      nextSeq: 0,
      bytes: 0,
      tail: Promise.resolve(),
    });
    return { recordingId };
  }

  /** Rejects (never throws) with a StationError for an unknown recording or an out-of-order chunk. */
  append(chunk: RecordingChunk): Promise<{ bytes: number }> {
    const recording = this.recordings.get(chunk.recordingId);
    if (!recording) return Promise.reject(this.notInProgress(chunk.recordingId));
    const write = recording.tail.then(async () => {
      if (chunk.seq !== recording.nextSeq) {
        throw new StationError(
          `recording chunk ${chunk.seq} arrived, ${recording.nextSeq} was expected`,
        );
      }
      const data = Buffer.from(chunk.dataBase64, 'base64');
      await recording.handle.write(data);
      await recording.handle.datasync();
      recording.nextSeq += 1;
      recording.bytes += data.length;
      return { bytes: recording.bytes };
    });
    recording.tail = write.catch(() => undefined);
    return write;
  }

  /**
   * Closes the file (fsynced) and forgets the recording; the file is the caller's from here on.
   * Rejects with a StationError for an unknown or an empty recording.
   */
  async finish(recordingId: string): Promise<{ file: string; start: RecordingStart }> {
    const recording = this.find(recordingId);
    this.recordings.delete(recordingId);
    await recording.tail;
    await recording.handle.sync();
    await recording.handle.close();
    if (recording.bytes === 0)
      throw new StationError('the recording is empty: nothing was received from the camera');
    return { file: recording.file, start: recording.start };
  }

  /**
   * Recordings another run of the station left in the folder — the window closed while
   * recording, or while a finished recording was being remuxed — each with what it is of when
   * that is known. Metadata files whose recording is gone (its hand-over to review finished) are
   * removed. Nothing else is changed.
   */
  async leftBehind(): Promise<LeftRecording[]> {
    const names = await readdir(this.folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    const left: LeftRecording[] = [];
    for (const name of names) {
      const id = MEDIA_NAME.exec(name)?.[1];
      if (id && !this.mine.has(id)) left.push(await this.describe(join(this.folder, name)));
      const metadataOf = METADATA_NAME.exec(name)?.[1];
      if (
        metadataOf &&
        !this.mine.has(metadataOf) &&
        !names.some((n) => n.startsWith(`recording-${metadataOf}.m`))
      )
        await rm(join(this.folder, name), { force: true });
    }
    return left.sort((a, b) => a.modifiedAt.localeCompare(b.modifiedAt));
  }

  /** Removes a recording left behind and its metadata, durably (only once nothing is lost). */
  async discard(file: string): Promise<void> {
    await removeFileDurably(file);
    const metadata = recordingMetadataPath(file);
    if (metadata) await removeFileDurably(metadata);
  }

  private async describe(file: string): Promise<LeftRecording> {
    const { size, mtime } = await stat(file);
    const found = { file, bytes: size, modifiedAt: mtime.toISOString() };
    try {
      const json: unknown = JSON.parse(await readFile(recordingMetadataPath(file) ?? '', 'utf8'));
      return { ...found, start: Metadata.parse(json).start };
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      const reason = error instanceof Error ? error.message : String(error);
      return {
        ...found,
        problem: missing
          ? 'no record of its patient was written (made before the station kept one)'
          : `the record of its patient cannot be read (${reason})`,
      };
    }
  }

  /**
   * Closes open files on shutdown. What was written stays in the folder with its metadata; the
   * next start puts it in review or reports it (leftBehind, recoverRecordings.ts).
   */
  async close(): Promise<void> {
    for (const recording of this.recordings.values())
      await recording.handle.close().catch(() => undefined);
    this.recordings.clear();
  }

  private find(recordingId: string): Recording {
    const recording = this.recordings.get(recordingId);
    if (!recording) throw this.notInProgress(recordingId);
    return recording;
  }

  private notInProgress(recordingId: string): StationError {
    return new StationError(`no recording ${recordingId} is in progress`);
  }
}
