/**
 * Where an import reads the medium's headers and coerces its instances. In a worker thread when
 * the bundled one is there (out/main/mediaWorker.js, next to the app's and the CLI's bundles): it
 * coerces with synchronous file calls, which save the thread-pool hand-offs (two thread wake-ups
 * per call, six per instance), and its CPU is off the thread that sends and answers the renderer.
 * Otherwise in this thread: running from sources (tests), or with an injected `openFile`, which
 * a worker cannot call. The results are the same either way.
 *
 * Nothing is lost to a worker: if it fails to start or dies, every call it had not answered is
 * made again here (a partial coercion target removed first), and so is every later one.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { asyncFiles } from './coerceFiles';
import { coerceInstance, type CoerceOptions, type CoerceResult } from './coerceInstance';
import { readHeaders, type HeaderOutcome } from './readInstance';
import { MediaFileError, type InstanceHeader, type OpenFile } from './types';

/** The options that cross to the worker (functions cannot). */
export type WorkerCoerceOptions = Omit<CoerceOptions, 'openFile' | 'files'>;

/** What the worker is asked to do. */
export type WorkerCall =
  | {
      readonly kind: 'coerce';
      readonly source: string;
      readonly target: string;
      readonly options: WorkerCoerceOptions;
    }
  | { readonly kind: 'headers'; readonly paths: readonly string[] };

export type WorkerRequest = WorkerCall & { readonly id: number };

/** An error as it crosses threads: its message, and whether it was a MediaFileError. */
export interface CrossedError {
  readonly message: string;
  readonly mediaFile: boolean;
  /** A system error's code (ENOENT, EIO…): the reason shown for it is made from the code. */
  readonly code?: string;
}

/** A header read, as it crosses threads: the instance, or why it could not be read. */
export type WorkerHeaderOutcome = { readonly instance: InstanceHeader } | CrossedError;

export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | ({ readonly id: number; readonly ok: false } & CrossedError);

export interface MediaWorker {
  /** Each path's header (paths already confined to the medium), or why it cannot be read. */
  readHeaders(paths: readonly string[]): Promise<HeaderOutcome[]>;
  coerce(source: string, target: string, options: WorkerCoerceOptions): Promise<CoerceResult>;
  /** Stops the worker; call once every call has settled. */
  close(): Promise<void>;
  /** Calls the worker answered (0 when working in this thread). */
  readonly answeredByWorker: number;
  /** Coercions worth keeping asked for at once (importPipeline's inFlight). */
  readonly inFlight: number;
}

/**
 * In this thread, a few coercions overlap their reads and writes (2 cores). The worker takes one
 * at a time, so more asked-for ones are only a queue, which keeps it busy while this thread is
 * late to ask for the next one (it also sends); it costs a message each, not memory.
 */
const IN_THREAD_IN_FLIGHT = 4;
const WORKER_IN_FLIGHT = 16;

export interface MediaWorkerOptions {
  /** Sources are opened through this (tests record every path); forces in-thread work. */
  readonly openFile?: OpenFile;
  /** The worker's script; default: the bundled one, if any. false: work in this thread. */
  readonly workerFile?: string | false;
}

const WORKER_FILE = 'mediaWorker.js';

/**
 * The bundled worker: next to the code that imports this module, which is the entry bundle
 * (out/main/cli.js) or one of its shared chunks (out/main/chunks/). Undefined from sources.
 */
export function bundledWorkerFile(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  return [here, dirname(here)].map((dir) => join(dir, WORKER_FILE)).find((f) => existsSync(f));
}

export function startMediaWorker(options: MediaWorkerOptions = {}): MediaWorker {
  const inThread = inThreadWork(options.openFile);
  const file = options.openFile ? false : (options.workerFile ?? bundledWorkerFile());
  return file ? new ThreadedWork(new Worker(file), inThread) : inThread;
}

function inThreadWork(openFile: OpenFile | undefined): MediaWorker {
  const files = asyncFiles(openFile);
  return {
    readHeaders: (paths) => readHeaders(paths, files.openSource),
    coerce: (source, target, options) => coerceInstance(source, target, { ...options, files }),
    close: () => Promise.resolve(),
    answeredByWorker: 0,
    inFlight: IN_THREAD_IN_FLIGHT,
  };
}

/** Errors as they crossed: a MediaFileError stays one (its message is the user's reason). */
function errorOf(crossed: CrossedError): Error {
  if (crossed.mediaFile) return new MediaFileError(crossed.message);
  const error: NodeJS.ErrnoException = new Error(crossed.message);
  if (crossed.code !== undefined) error.code = crossed.code;
  return error;
}

interface Pending {
  /** Settles the caller with the worker's answer. */
  readonly answer: (reply: WorkerReply) => void;
  /** Makes the same call in this thread, settling the caller. */
  readonly redo: () => void;
}

class ThreadedWork implements MediaWorker {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  answeredByWorker = 0;
  readonly inFlight = WORKER_IN_FLIGHT;
  /** Set once the worker failed or was closed: from then on, work is done in this thread. */
  private stopped = false;

  constructor(
    private readonly worker: Worker,
    private readonly fallback: MediaWorker,
  ) {
    worker.on('message', (reply: WorkerReply) => this.answer(reply));
    worker.on('error', () => this.takeBack());
    worker.on('exit', () => this.takeBack());
  }

  readHeaders(paths: readonly string[]): Promise<HeaderOutcome[]> {
    const inThread = () => this.fallback.readHeaders(paths);
    return this.call(
      { kind: 'headers', paths },
      (result) =>
        (result as WorkerHeaderOutcome[]).map((o) => ('instance' in o ? o.instance : errorOf(o))),
      inThread,
      inThread,
    );
  }

  coerce(source: string, target: string, options: WorkerCoerceOptions): Promise<CoerceResult> {
    const inThread = () => this.fallback.coerce(source, target, options);
    return this.call(
      { kind: 'coerce', source, target, options },
      (result) => result as CoerceResult,
      inThread,
      // The worker died on it and may have left part of the target, which in-thread coercion
      // would refuse to overwrite (the target is the caller's fresh name: nobody else's file).
      async () => {
        await asyncFiles().remove(target);
        return inThread();
      },
    );
  }

  async close(): Promise<void> {
    this.stopped = true;
    await this.worker.terminate();
  }

  /** The call in the worker; in this thread once it stopped (`inThread`) or died on it (`redo`). */
  private call<T>(
    call: WorkerCall,
    decode: (result: unknown) => T,
    inThread: () => Promise<T>,
    redo: () => Promise<T>,
  ): Promise<T> {
    if (this.stopped) return inThread();
    return new Promise<T>((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, {
        answer: (reply) => (reply.ok ? resolve(decode(reply.result)) : reject(errorOf(reply))),
        redo: () => void redo().then(resolve, reject),
      });
      this.worker.postMessage({ ...call, id } satisfies WorkerRequest);
    });
  }

  private answer(reply: WorkerReply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    this.answeredByWorker++;
    waiting.answer(reply);
  }

  /** The worker is gone: what it had not answered is done again in this thread. */
  private takeBack(): void {
    this.stopped = true;
    const unanswered = [...this.pending.values()];
    this.pending.clear();
    for (const { redo } of unanswered) redo();
  }
}
