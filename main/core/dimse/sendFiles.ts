/**
 * Sends Part-10 files to one DIMSE peer over one or more associations in parallel. Every file
 * ends with a result — stored, warning, refused by status, or an error saying why it was not
 * sent — nothing is dropped silently.
 */
import type { Association } from './Association';
import type { AssociationPool } from './AssociationPool';
import type { AssociationTimeouts, PresentationContextRequest } from './associationTypes';
import { CancelledError } from './errors';
import { openAssociation } from './openAssociation';
import { readPart10Info, type Part10Info } from './part10';
import type { DimsePeer } from './peer';
import { PreparedStore, sendPreparedStore, transferSyntaxesFor } from './store';
import type { StoreOutcome } from './storeStatus';

export interface SendFileResult {
  readonly path: string;
  readonly sopClassUid?: string;
  readonly sopInstanceUid?: string;
  /** True only when the peer answered success or warning: the object is stored. */
  readonly stored: boolean;
  readonly outcome: StoreOutcome | 'error';
  readonly status?: number;
  readonly message: string;
  readonly error?: Error;
  readonly transferSyntaxUid?: string;
}

/**
 * A file to send: its path (its meta group is read first), or what was read of it before — the
 * outbox keeps that in its job record — which saves an open, a read and a close per file. The
 * file's size is checked against it when it is opened for sending.
 */
export type SendSource = string | Part10Info;

const pathOf = (source: SendSource): string => (typeof source === 'string' ? source : source.path);

/** The source's Part-10 info, or the error saying why the file cannot be sent. */
function infoOf(source: SendSource): Promise<Part10Info | Error> {
  if (typeof source !== 'string') return Promise.resolve(source);
  return readPart10Info(source).catch((error: unknown) => asError(error));
}

export interface SendFilesOptions {
  readonly peer: DimsePeer;
  /** Associations used in parallel (default 1). */
  readonly concurrency?: number;
  readonly timeouts?: Partial<AssociationTimeouts>;
  readonly maxPduLength?: number;
  /** Cancels: the file in flight and every later one end as not sent (CancelledError). */
  readonly signal?: AbortSignal;
  /** Called as each file finishes, in completion order. */
  readonly onResult?: (result: SendFileResult) => void;
  /**
   * Associations to reuse and to leave open for the next call to the same peer (the outbox's
   * batches); without it, each call opens and releases its own.
   */
  readonly pool?: AssociationPool;
  /**
   * More files for this call, asked for when a worker has none left (the outbox: what became
   * ready meanwhile); [] lets the workers finish. Their results reach onResult only (the
   * returned array covers `paths`); one whose SOP class and transfer syntax this call's
   * associations were not negotiated for goes to onNotNegotiated instead, not sent.
   */
  readonly more?: () => Promise<readonly SendSource[]>;
  /**
   * SOP classes and transfer syntaxes to propose besides those of the given files: those of files
   * `more` may hand out later (the outbox: what else is queued for this peer), so that they can
   * go on the same associations instead of waiting for another call.
   */
  readonly alsoNegotiate?: readonly FileKind[];
  readonly onNotNegotiated?: (path: string) => void;
}

interface Job {
  readonly index: number;
  readonly info: Part10Info;
}

/** Resolves with one result per path, in the order given; never rejects for a single file. */
export async function sendFiles(
  sources: readonly SendSource[],
  options: SendFilesOptions,
): Promise<SendFileResult[]> {
  const results: SendFileResult[] = new Array<SendFileResult>(sources.length);
  const infos = await Promise.all(sources.map(infoOf));
  const sendable: Job[] = [];
  infos.forEach((info, index) => {
    if (info instanceof Error)
      finish(results, index, failed(pathOf(sources[index] ?? ''), info), options);
    else sendable.push({ index, info });
  });
  const contexts = contextsFor([...sendable.map((s) => s.info), ...(options.alsoNegotiate ?? [])]);
  const queue = { sendable, taken: 0 };
  const nextJob = moreJobs(options, contexts, results, queue);
  const worker = async () => {
    let association: Association | undefined;
    // The next file, opened and its first block read while the current one drains and awaits its
    // response.
    let ahead: { job: Job; store: PreparedStore } | undefined;
    const takeAhead = () => {
      const taken = ahead;
      ahead = undefined;
      return taken;
    };
    try {
      for (;;) {
        const taken = takeAhead();
        const job = taken?.job ?? (await nextJob());
        if (!job) break;
        let prepared = taken?.store;
        if (options.signal?.aborted) {
          prepared?.dispose();
          const cancelled = new CancelledError('cancelled');
          finish(results, job.index, failed(job.info.path, cancelled, job.info), options);
          continue;
        }
        if (!association?.isOpen) {
          // Read ahead on an association that has since ended: start again on a new one.
          prepared?.dispose();
          prepared = undefined;
          association =
            options.pool?.take(contexts) ?? (await openOrRecord(options, contexts, job, results));
        }
        if (!association) continue;
        const current = association;
        const store = prepared ?? new PreparedStore(current, job.info);
        const readAhead = () => {
          const next = options.signal?.aborted ? undefined : takeQueued(queue);
          if (next) ahead = { job: next, store: new PreparedStore(current, next.info) };
        };
        // A cancel mid-transfer aborts the association: the object in flight is reported not sent.
        const onAbort = () => current.abort(new CancelledError('cancelled during transfer'));
        options.signal?.addEventListener('abort', onAbort, { once: true });
        try {
          finish(results, job.index, await storeOne(current, store, readAhead), options);
        } finally {
          options.signal?.removeEventListener('abort', onAbort);
        }
      }
    } finally {
      takeAhead()?.store.dispose();
      if (options.pool && association && !options.signal?.aborted)
        options.pool.give(association, contexts);
      else await association?.release();
    }
  };
  // With `more`, every worker starts: a batch that began with one file may be joined by many.
  const wanted = options.more ? Infinity : sendable.length;
  const workers = Math.max(1, Math.min(options.concurrency ?? 1, wanted));
  await Promise.all(Array.from({ length: workers }, worker));
  return results.slice(0, sources.length);
}

/**
 * The next file for a worker: the given ones first, then what options.more hands out, read and
 * checked against the negotiated contexts. One request at a time, shared by idle workers; once
 * more() has nothing, every worker finishes.
 */
function moreJobs(
  options: SendFilesOptions,
  contexts: readonly PresentationContextRequest[],
  results: SendFileResult[],
  queue: Queue,
): () => Promise<Job | undefined> {
  const negotiated = new Set(contexts.map((c) => `${c.abstractSyntax}|${c.transferSyntaxes[0]}`));
  let nextIndex = results.length;
  let asking: Promise<boolean> | undefined;
  let exhausted = false;
  const ask = async (): Promise<boolean> => {
    const sources = options.signal?.aborted ? [] : ((await options.more?.()) ?? []);
    if (sources.length === 0) return false;
    const infos = await Promise.all(sources.map(infoOf));
    infos.forEach((info, i) => {
      const index = nextIndex++;
      if (info instanceof Error)
        finish(results, index, failed(pathOf(sources[i] ?? ''), info), options);
      else if (negotiated.has(`${info.sopClassUid}|${info.transferSyntaxUid}`))
        queue.sendable.push({ index, info });
      else options.onNotNegotiated?.(info.path);
    });
    return true;
  };
  return async () => {
    for (;;) {
      const next = takeQueued(queue);
      if (next) return next;
      if (exhausted || !options.more) return undefined;
      asking ??= ask().finally(() => (asking = undefined));
      if (!(await asking)) exhausted = true;
    }
  };
}

interface Queue {
  readonly sendable: Job[];
  taken: number;
}

/** The next queued file, if any; never moves past the end (more may add files later). */
function takeQueued(queue: Queue): Job | undefined {
  if (queue.taken >= queue.sendable.length) return undefined;
  return queue.sendable[queue.taken++];
}

/** What a presentation context is proposed for: a file's SOP class and transfer syntax. */
export type FileKind = Pick<Part10Info, 'sopClassUid' | 'transferSyntaxUid'>;

/**
 * One context per SOP class and file transfer syntax, the file's own syntax preferred; the first
 * 128 kinds (PS3.8 9.3.2.2: presentation context IDs are the odd numbers 1–255).
 */
export function contextsFor(infos: readonly FileKind[]): PresentationContextRequest[] {
  const seen = new Map<string, PresentationContextRequest>();
  for (const info of infos) {
    const key = `${info.sopClassUid}|${info.transferSyntaxUid}`;
    if (!seen.has(key)) {
      seen.set(key, {
        abstractSyntax: info.sopClassUid,
        transferSyntaxes: transferSyntaxesFor(info.transferSyntaxUid),
      });
    }
  }
  return [...seen.values()].slice(0, 128);
}

async function openOrRecord(
  options: SendFilesOptions,
  contexts: PresentationContextRequest[],
  job: Job,
  results: SendFileResult[],
): Promise<Association | undefined> {
  try {
    return await openAssociation({
      ...options.peer,
      presentationContexts: contexts,
      timeouts: options.timeouts,
      maxPduLength: options.maxPduLength,
      signal: options.signal,
    });
  } catch (error) {
    finish(results, job.index, failed(job.info.path, asError(error), job.info), options);
    return undefined;
  }
}

async function storeOne(
  association: Association,
  store: PreparedStore,
  afterSent: () => void,
): Promise<SendFileResult> {
  const info = store.file;
  try {
    const response = await sendPreparedStore(association, store, afterSent);
    return {
      path: info.path,
      sopClassUid: info.sopClassUid,
      sopInstanceUid: info.sopInstanceUid,
      stored: response.outcome !== 'failure',
      outcome: response.outcome,
      status: response.status,
      message: response.errorComment
        ? `${response.statusText} (${response.errorComment})`
        : response.statusText,
      transferSyntaxUid: response.transferSyntaxUid,
    };
  } catch (error) {
    return failed(info.path, asError(error), info);
  }
}

function failed(path: string, error: Error, info?: Part10Info): SendFileResult {
  return {
    path,
    sopClassUid: info?.sopClassUid,
    sopInstanceUid: info?.sopInstanceUid,
    stored: false,
    outcome: 'error',
    message: `not sent: ${error.message}`,
    error,
  };
}

function finish(
  results: SendFileResult[],
  index: number,
  result: SendFileResult,
  options: SendFilesOptions,
): void {
  results[index] = result;
  options.onResult?.(result);
}

const asError = (error: unknown): Error =>
  error instanceof Error ? error : new Error(String(error));
