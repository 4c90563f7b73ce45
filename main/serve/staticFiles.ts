import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { contentTypeOf, resolveStaticFile } from '../core/security/staticFiles';

/** Streams a built renderer file with its content type and the given security headers; 404 otherwise. */
export async function sendStaticFile(
  response: ServerResponse,
  root: string,
  urlPath: string,
  headers: Record<string, string>,
): Promise<void> {
  const file = resolveStaticFile(root, urlPath);
  const info = file ? await stat(file).catch(() => undefined) : undefined;
  if (!file || !info?.isFile()) {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...headers });
    response.end('not found');
    return;
  }
  response.writeHead(200, {
    ...headers,
    'content-type': contentTypeOf(file),
    'content-length': String(info.size),
    'cache-control': 'no-store',
  });
  createReadStream(file).pipe(response);
}
