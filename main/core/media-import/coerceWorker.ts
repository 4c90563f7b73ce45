/**
 * Entry of the coercion worker thread (bundled as out/main/coerceWorker.js; started by
 * coercion.ts). It coerces one instance per message with synchronous file calls (coerceFiles.ts)
 * and answers with the result or the error's message, in the order asked.
 */
import { parentPort } from 'node:worker_threads';
import { coerceInstance } from './coerceInstance';
import { syncFiles } from './coerceFiles';
import type { CoerceReply, CoerceRequest } from './coercion';
import { MediaFileError } from './types';

const port = parentPort;
if (!port) throw new Error('coerceWorker.js runs as a worker thread only');

port.on('message', (request: CoerceRequest) => {
  const { id, source, target, options } = request;
  // Synchronous files: this runs to its end before the next message is taken.
  void coerceInstance(source, target, { ...options, files: syncFiles }).then(
    (result) => port.postMessage({ id, ok: true, result } satisfies CoerceReply),
    (error: unknown) =>
      port.postMessage({
        id,
        ok: false,
        message: error instanceof Error ? error.message : String(error),
        mediaFile: error instanceof MediaFileError,
      } satisfies CoerceReply),
  );
});
