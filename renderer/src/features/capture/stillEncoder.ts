/**
 * JPEG encoding of stills in a worker (stillEncoder.worker.ts), so neither the frame's colour
 * conversion nor the encode waits for, or holds up, the page's main thread: a 1080p frame costs
 * tens of ms of each, and canvas.toBlob on the page runs its encode in the main thread's idle
 * time, which a live preview leaves little of (issue 6: shutter to durable ≤ 150 ms).
 */

export interface EncodeRequest {
  readonly id: number;
  /** Transferred: the worker closes it. */
  readonly frame: VideoFrame;
  readonly quality: number;
}

export type EncodeReply =
  | { readonly id: number; readonly ok: true; readonly jpeg: Blob; readonly jpegBase64: string }
  | { readonly id: number; readonly ok: false; readonly message: string };

export interface EncodedStill {
  readonly jpeg: Blob;
  readonly jpegBase64: string;
}

/** The worker stopped (could not load, or crashed) before it answered; the frame went with it. */
export class EncoderStoppedError extends Error {
  override readonly name = 'EncoderStoppedError';
}

type Waiting = { resolve: (still: EncodedStill) => void; reject: (error: Error) => void };

let worker: Worker | undefined;
/** Set once the worker could not start (e.g. a CSP without worker-src): the page encodes. */
let unavailable = typeof Worker === 'undefined' || typeof OffscreenCanvas === 'undefined';
const waiting = new Map<number, Waiting>();
let nextId = 1;

function encoderWorker(): Worker {
  if (worker) return worker;
  const started = new Worker(new URL('./stillEncoder.worker.ts', import.meta.url), {
    type: 'module',
    name: 'still-encoder',
  });
  started.addEventListener('message', (event: MessageEvent<EncodeReply>) => {
    const reply = event.data;
    const entry = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (!entry) return;
    if (reply.ok) entry.resolve({ jpeg: reply.jpeg, jpegBase64: reply.jpegBase64 });
    else entry.reject(new Error(reply.message));
  });
  started.addEventListener('error', (event) => {
    console.warn('the still encoder worker failed; encoding on the page', event.message);
    unavailable = true;
    worker = undefined;
    started.terminate();
    for (const entry of waiting.values())
      entry.reject(new EncoderStoppedError('the JPEG encoder stopped'));
    waiting.clear();
  });
  worker = started;
  return started;
}

/**
 * The frame the video shows now, encoded as JPEG in the worker; undefined when this browser has
 * no VideoFrame, OffscreenCanvas or worker (the caller then encodes on the page). The frame is
 * taken synchronously, at the call. Rejects if the encode fails, with EncoderStoppedError if the
 * worker itself stopped (later calls then answer undefined).
 */
export function encodeInWorker(
  video: HTMLVideoElement,
  quality: number,
): Promise<EncodedStill> | undefined {
  if (unavailable || typeof VideoFrame === 'undefined') return undefined;
  const frame = new VideoFrame(video);
  const id = nextId++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    encoderWorker().postMessage({ id, frame, quality } satisfies EncodeRequest, [frame]);
  });
}
