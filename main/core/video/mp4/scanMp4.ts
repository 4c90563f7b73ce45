import type { FileHandle } from 'node:fs/promises';
import { VideoFormatError } from '../VideoRefusedError';
import { fileBoxes, memoryBox, ReadAhead, readWholeBox } from './boxes';
import { parseMovieFragment, type TrackRun } from './fragments';
import { parseMovie, type MovieInfo } from './movie';

/** A 'moov' holds sample tables; even hours of progressive video stay well below this. */
const MAX_MOOV_BYTES = 256 * 1024 * 1024;
/** A 'moof' describes one fragment (a GOP or a few seconds): kilobytes in practice. */
const MAX_MOOF_BYTES = 64 * 1024 * 1024;

export interface Mp4Scan {
  movie: MovieInfo;
  fileSize: number;
  /** Number of complete 'moof' boxes used. */
  fragmentCount: number;
  /** A cut-off end was dropped (only with recoverTruncated). */
  truncated: boolean;
}

export interface ScanOptions {
  signal?: AbortSignal;
  recoverTruncated?: boolean;
}

function isTruncation(error: unknown): boolean {
  return error instanceof VideoFormatError && error.message.startsWith('truncated');
}

/**
 * Walks the top-level boxes of an MP4 (ISO/IEC 14496-12) reading only headers, plus 'moov' and each
 * 'moof' whole, and hands every fragment's runs to `onRuns` as they are found, so memory stays flat
 * whatever the file size. Refuses truncated files and runs pointing past the end of the file,
 * unless `recoverTruncated` asks to keep the complete fragments before the cut.
 */
export async function scanMp4(
  handle: FileHandle,
  onRuns: (runs: TrackRun[], movie: MovieInfo) => void,
  options: ScanOptions = {},
): Promise<Mp4Scan> {
  const fileSize = (await handle.stat()).size;
  let movie: MovieInfo | null = null;
  let fragmentCount = 0;
  let truncated = false;
  let first = true;
  const source = new ReadAhead(handle);
  try {
    for await (const box of fileBoxes(source, 0, fileSize)) {
      options.signal?.throwIfAborted();
      if (first && box.type !== 'ftyp' && box.type !== 'styp' && box.type !== 'moov') {
        throw new VideoFormatError(`not an MP4: starts with box '${box.type}' instead of 'ftyp'`);
      }
      first = false;
      if (box.type === 'moov') {
        movie = parseMovie(memoryBox(await readWholeBox(source, box, MAX_MOOV_BYTES)));
      } else if (box.type === 'moof') {
        if (movie?.trackDefaults == null) {
          throw new VideoFormatError("corrupt: 'moof' box without a preceding 'moov' with 'mvex'");
        }
        const moof = memoryBox(await readWholeBox(source, box, MAX_MOOF_BYTES));
        const runs = parseMovieFragment(moof, box.start, movie.trackDefaults);
        for (const run of runs) {
          if (run.dataStart + run.byteLength > fileSize) {
            throw new VideoFormatError(
              `truncated: fragment ${fragmentCount + 1} (offset ${box.start}) has sample data past the end of the file`,
            );
          }
        }
        fragmentCount++;
        onRuns(runs, movie);
      }
    }
  } catch (error) {
    // A recording cut off mid-fragment keeps every complete fragment before the cut.
    if (!(options.recoverTruncated && fragmentCount > 0 && isTruncation(error))) throw error;
    truncated = true;
  }
  if (movie === null) throw new VideoFormatError("not a playable MP4: no 'moov' box");
  return { movie, fileSize, fragmentCount, truncated };
}
