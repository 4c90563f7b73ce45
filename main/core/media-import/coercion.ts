/**
 * Where an import's instances are coerced. In a worker thread when the bundled worker is there
 * (out/main/coerceWorker.js, next to the app's and the CLI's bundles): its synchronous file calls
 * save the thread-pool hand-offs, and the coercion's CPU is off the thread that sends and answers
 * the renderer. Otherwise in this thread: running from sources (tests), or with an injected
 * `openFile`, which a worker cannot call. The results are the same either way.
 *
 * Nothing is lost to a worker: if it fails to start or dies, every instance it had not answered
 * is coerced again here (its partial target removed first), and so is every later one.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { asyncFiles } from './coerceFiles';
import { coerceInstance, type CoerceOptions, type CoerceResult } from './coerceInstance';
import { MediaFileError, type OpenFile } from './types';

/** The options that cross to the worker (functions cannot). */
export type WorkerCoerceOptions = Omit<CoerceOptions, 'openFile' | 'files'>;

export interface CoerceRequest {
  readonly id: number;
  readonly source: string;
  readonly target: string;
  readonly options: WorkerCoerceOptions;
}

export type CoerceReply =
  | { readonly id: number; readonly ok: true; readonly result: CoerceResult }
  | {
      readonly id: number;
      readonly ok: false;
      readonly message: string;
      readonly mediaFile: boolean;
    };

export interface Coercion {
  coerce(source: string, target: string, options: WorkerCoerceOptions): Promise<CoerceResult>;
  /** Stops the worker; call once every coerce() has settled. */
  close(): Promise<void>;
  /** Instances the worker answered for (0 when coercing in this thread). */
  readonly answeredByWorker: number;
}

export interface CoercionOptions {
  /** Sources are opened through this (tests record every path); forces in-thread coercion. */
  readonly openFile?: OpenFile;
  /** The worker's script; default: the bundled one, if any. false: coerce in this thread. */
  readonly workerFile?: string | false;
}

const WORKER_FILE = 'coerceWorker.js';

/**
 * The bundled worker: next to the code that imports this module, which is the entry bundle
 * (out/main/cli.js) or one of its shared chunks (out/main/chunks/). Undefined from sources.
 */
export function bundledWorkerFile(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  return [here, dirname(here)].map((dir) => join(dir, WORKER_FILE)).find((f) => existsSync(f));
}

export function startCoercion(options: CoercionOptions = {}): Coercion {
  const inThread = inThreadCoercion(options.openFile);
  const file = options.openFile ? false : (options.workerFile ?? bundledWorkerFile());
  return file ? new WorkerCoercion(new Worker(file), inThread) : inThread;
}

function inThreadCoercion(openFile: OpenFile | undefined): Coercion {
  const files = asyncFiles(openFile);
  return {
    coerce: (source, target, options) => coerceInstance(source, target, { ...options, files }),
    close: () => Promise.resolve(),
    answeredByWorker: 0,
  };
}

interface Pending {
  readonly request: CoerceRequest;
  readonly resolve: (result: CoerceResult) => void;
  readonly reject: (error: Error) => void;
}

class WorkerCoercion implements Coercion {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  answeredByWorker = 0;
  /** Set once the worker failed or was closed: from then on, coercion is in this thread. */
  private stopped = false;

  constructor(
    private readonly worker: Worker,
    private readonly fallback: Coercion,
  ) {
    worker.on('message', (reply: CoerceReply) => this.answer(reply));
    worker.on('error', () => this.takeBack());
    worker.on('exit', () => this.takeBack());
  }

  coerce(source: string, target: string, options: WorkerCoerceOptions): Promise<CoerceResult> {
    if (this.stopped) return this.fallback.coerce(source, target, options);
    return new Promise((resolve, reject) => {
      const request: CoerceRequest = { id: this.nextId++, source, target, options };
      this.pending.set(request.id, { request, resolve, reject });
      this.worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    this.stopped = true;
    await this.worker.terminate();
  }

  private answer(reply: CoerceReply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    this.answeredByWorker++;
    if (reply.ok) waiting.resolve(reply.result);
    else
      waiting.reject(
        reply.mediaFile ? new MediaFileError(reply.message) : new Error(reply.message),
      );
  }

  /** The worker is gone: what it had not answered is done again in this thread. */
  private takeBack(): void {
    this.stopped = true;
    const unanswered = [...this.pending.values()];
    this.pending.clear();
    for (const { request, resolve, reject } of unanswered) {
      const { source, target, options } = request;
      void Promise.resolve(asyncFiles().remove(target))
        .then(() => this.fallback.coerce(source, target, options))
        .then(resolve, reject);
    }
  }
}
