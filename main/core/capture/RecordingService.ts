import { randomUUID } from 'node:crypto';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordingChunk, RecordingStart } from '../../../preload/contract';
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

/**
 * Video recording to disk as it happens (issue 6): each chunk from the renderer's MediaRecorder is
 * appended and flushed (fdatasync) before the next is accepted, so a crash loses at most the last
 * chunk and a long procedure never sits in memory. Chunks must arrive in sequence; a gap or a
 * repeat is refused so the file is exactly what was recorded. `finish` hands the file over (to
 * review, which remuxes and holds it until Send).
 */
export class RecordingService {
  private readonly recordings = new Map<string, Recording>();

  constructor(private readonly folder: string) {}

  /** StationError for an item the station cannot place in a study (procedureIdentity.ts). */
  async start(start: RecordingStart): Promise<{ recordingId: string }> {
    requireStudyUid(start.item);
    await mkdir(this.folder, { recursive: true });
    const recordingId = randomUUID();
    const extension = /matroska|webm/i.test(start.mimeType) ? 'mkv' : 'mp4';
    const file = join(this.folder, `recording-${recordingId}.${extension}`);
    const handle = await open(file, 'wx');
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

  /** Closes open files on shutdown; what was written stays on disk in the work folder. */
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
