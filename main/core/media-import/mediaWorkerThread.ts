/**
 * Entry of the import's worker thread (bundled as out/main/mediaWorker.js; started by
 * mediaWorker.ts). It answers each request with synchronous file calls (coerceFiles.ts), so one
 * runs to its end before the next is taken: the result, or the error's message and kind.
 */
import { parentPort } from 'node:worker_threads';
import { coerceInstance } from './coerceInstance';
import { syncFiles } from './coerceFiles';
import type { CrossedError, WorkerHeaderOutcome, WorkerReply, WorkerRequest } from './mediaWorker';
import { readHeaders } from './readInstance';
import { MediaFileError } from './types';

const port = parentPort;
if (!port) throw new Error('mediaWorker.js runs as a worker thread only');

const crossing = (error: unknown): CrossedError => ({
  message: error instanceof Error ? error.message : String(error),
  mediaFile: error instanceof MediaFileError,
});

async function work(request: WorkerRequest): Promise<unknown> {
  if (request.kind === 'coerce')
    return coerceInstance(request.source, request.target, { ...request.options, files: syncFiles });
  const outcomes = await readHeaders(request.paths, syncFiles.openSource);
  return outcomes.map((o): WorkerHeaderOutcome =>
    o instanceof Error ? crossing(o) : { instance: o },
  );
}

port.on('message', (request: WorkerRequest) => {
  void work(request).then(
    (result) => port.postMessage({ id: request.id, ok: true, result } satisfies WorkerReply),
    (error: unknown) =>
      port.postMessage({ id: request.id, ok: false, ...crossing(error) } satisfies WorkerReply),
  );
});
