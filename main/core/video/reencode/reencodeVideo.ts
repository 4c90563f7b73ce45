import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { extname } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { VideoProbe } from '../types';
import { VideoFormatError } from '../VideoRefusedError';
import { encodeArguments, encodedSeconds } from './encodeArguments';

/**
 * ffmpeg.wasm works in memory (MEMFS) and its heap is capped at 2 GiB (DOMAIN.md): input, output
 * and codec state must fit. Longer recordings must arrive as H.264 High and be remuxed instead.
 */
export const MAX_REENCODE_INPUT_BYTES = 512 * 1024 * 1024;
const LOG_TAIL_LINES = 8;
const WORKER_URL = new URL('./ffmpegWorker.mjs', import.meta.url);

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
    const worker = new Worker(WORKER_URL, { workerData });
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

/**
 * Re-encodes `inputFile` with ffmpeg.wasm (never native ffmpeg) in a worker thread to H.264 High
 * Profile / Level 4.1, at most 1920x1080 and 30 fps, audio as AAC, progressive MP4 at
 * `outputFile` (temp + rename). Refuses (VideoFormatError) inputs too large for ffmpeg.wasm's
 * in-memory file system; aborting terminates the worker.
 */
export async function reencodeVideo(
  inputFile: string,
  outputFile: string,
  probe: VideoProbe,
  options: ReencodeOptions = {},
): Promise<void> {
  if (probe.byteLength > MAX_REENCODE_INPUT_BYTES) {
    throw new VideoFormatError(
      `needs re-encoding but is ${probe.byteLength} bytes; ffmpeg.wasm re-encodes at most ` +
        `${MAX_REENCODE_INPUT_BYTES} bytes in memory: record H.264 High profile instead`,
    );
  }
  options.signal?.throwIfAborted();
  const temporary = `${outputFile}.${randomBytes(6).toString('hex')}.part`;
  const workerData = {
    inputFile,
    inputName: `/input${extname(inputFile) || '.bin'}`,
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
