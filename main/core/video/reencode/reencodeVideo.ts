import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { rename, rm } from 'node:fs/promises';
import { extname } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { VideoProbe } from '../types';
import { VideoFormatError } from '../VideoRefusedError';
import { encodeArguments, encodedSeconds } from './encodeArguments';
import { FFMPEG_WORKER_SOURCE } from './workerSource';

/**
 * ffmpeg.wasm's heap is capped at 2 GiB (DOMAIN.md). The input is streamed in (WORKERFS), but the
 * output is built in memory (MEMFS): at the encoder's maxrate (encodeArguments.ts) this many
 * seconds stay near 1 GB. Longer recordings must arrive as H.264 High and be remuxed instead.
 */
export const MAX_REENCODE_SECONDS = 8 * 60;
const LOG_TAIL_LINES = 8;

type WorkerMessage =
  | { type: 'log'; line: string }
  | { type: 'done'; code: number }
  | { type: 'failed'; message: string };

function isWorkerMessage(value: unknown): value is WorkerMessage {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  return (
    (message.type === 'log' && typeof message.line === 'string') ||
    (message.type === 'done' && typeof message.code === 'number') ||
    (message.type === 'failed' && typeof message.message === 'string')
  );
}

export interface ReencodeOptions {
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/** Runs the worker to completion; resolves with its exit code, rejects on failure or abort. */
function runWorker(workerData: object, durationSeconds: number, options: ReencodeOptions) {
  return new Promise<void>((resolve, reject) => {
    const worker = new Worker(FFMPEG_WORKER_SOURCE, { eval: true, workerData });
    const tail: string[] = [];
    let settled = false;
    const onAbort = () => void worker.terminate();
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if (error) reject(error);
      else resolve();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: unknown) => {
      if (!isWorkerMessage(message))
        return finish(new Error('unexpected message from ffmpeg worker'));
      if (message.type === 'log') {
        tail.push(message.line);
        if (tail.length > LOG_TAIL_LINES) tail.shift();
        const seconds = encodedSeconds(message.line);
        if (seconds !== null && durationSeconds > 0) {
          options.onProgress?.(Math.min(1, seconds / durationSeconds));
        }
      } else if (message.type === 'failed') {
        finish(new VideoFormatError(`re-encoding with ffmpeg.wasm failed: ${message.message}`));
      } else if (message.code !== 0) {
        const last = tail
          .filter((line) => !line.includes('time='))
          .slice(-3)
          .join(' | ');
        finish(
          new VideoFormatError(
            `re-encoding with ffmpeg.wasm failed (exit ${message.code}): ${last}`,
          ),
        );
      } else {
        finish();
      }
    });
    worker.on('error', (error) => finish(error));
    worker.on('exit', () => {
      const reason: unknown = options.signal?.reason;
      finish(reason instanceof Error ? reason : new Error('ffmpeg worker exited early'));
    });
  });
}

/** Where @ffmpeg/core's UMD build and wasm are; the worker loads both from disk. */
function ffmpegCorePaths(): { corePath: string; wasmPath: string } {
  const require = createRequire(import.meta.url);
  try {
    return {
      corePath: require.resolve('@ffmpeg/core'),
      wasmPath: require.resolve('@ffmpeg/core/wasm'),
    };
  } catch (error) {
    throw new VideoFormatError(
      'needs re-encoding, but ffmpeg.wasm (@ffmpeg/core) is not installed',
      {
        cause: error,
      },
    );
  }
}

/**
 * Re-encodes `inputFile` with ffmpeg.wasm (never native ffmpeg) in a worker thread to H.264 High
 * Profile / Level 4.1, at most 1920x1080 and 30 fps, audio as AAC, progressive MP4 at
 * `outputFile` (temp + rename). Refuses (VideoFormatError) inputs whose output would not fit
 * ffmpeg.wasm's in-memory file system; aborting terminates the worker.
 */
export async function reencodeVideo(
  inputFile: string,
  outputFile: string,
  probe: VideoProbe,
  options: ReencodeOptions = {},
): Promise<void> {
  if (probe.durationSeconds > MAX_REENCODE_SECONDS) {
    throw new VideoFormatError(
      `needs re-encoding but lasts ${Math.round(probe.durationSeconds)} s; ffmpeg.wasm re-encodes ` +
        `at most ${MAX_REENCODE_SECONDS} s in memory: record H.264 High profile instead`,
    );
  }
  options.signal?.throwIfAborted();
  const temporary = `${outputFile}.${randomBytes(6).toString('hex')}.part`;
  const workerData = {
    ...ffmpegCorePaths(),
    inputFile,
    inputName: `input${extname(inputFile) || '.bin'}`,
    outputFile: temporary,
    args: encodeArguments(probe),
  };
  try {
    await runWorker(workerData, probe.durationSeconds, options);
    await rename(temporary, outputFile);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
