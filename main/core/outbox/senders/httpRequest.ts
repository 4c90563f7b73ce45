/** One HTTP(S) exchange on node:http/https with an optional CA, a streamed body and a bounded answer. */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { Writable } from 'node:stream';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface HttpRequestOptions {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Record<string, string | number>;
  /** Writes the body and ends the stream; absent: no body. */
  readonly writeBody?: (target: Writable) => Promise<void>;
  readonly ca?: Buffer;
  readonly signal?: AbortSignal;
  /** Bytes of the answer kept (default 4 MiB); the rest is read and dropped. */
  readonly maxAnswerBytes?: number;
  readonly timeoutMs?: number;
}

export function readCa(caFile: string | undefined): Buffer | undefined {
  return caFile ? readFileSync(caFile) : undefined;
}

/** Resolves with any HTTP status; rejects on a network error, a timeout or an abort. */
export function httpRequest(options: HttpRequestOptions): Promise<HttpAnswer> {
  const url = new URL(options.url);
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(
      url,
      {
        method: options.method,
        headers: options.headers,
        ca: options.ca,
        signal: options.signal,
        timeout: options.timeoutMs ?? 120_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        const limit = options.maxAnswerBytes ?? 4 * 1024 * 1024;
        response.on('data', (chunk: Buffer) => {
          if (kept < limit) chunks.push(chunk);
          kept += chunk.length;
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer from ${url.host} in time`)));
    request.on('error', reject);
    if (!options.writeBody) {
      request.end();
      return;
    }
    options.writeBody(request).catch((error: unknown) => {
      request.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
}
