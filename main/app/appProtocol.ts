/**
 * The handler behind `app://station/`: serves the built renderer (out/renderer) with the security
 * headers on every response. A fetch-style `(Request) => Promise<Response>`, which is what
 * Electron's `protocol.handle` takes, kept free of Electron so tests drive it directly.
 */
import { readFile, stat } from 'node:fs/promises';
import { contentTypeOf, resolveStaticFile } from '../core/security/staticFiles';
import { APP_HOST } from './appOrigin';

export interface AppProtocolOptions {
  /** The built renderer folder; nothing outside it is ever served. */
  readonly root: string;
  /** Headers added to every response, 404s included (securityHeaders() from core/security). */
  readonly headers: Readonly<Record<string, string>>;
}

export type ProtocolHandler = (request: Request) => Promise<Response>;

/**
 * Answers GET/HEAD for files under `root` with 200; 405 for other methods; 404 for another host,
 * a path that resolves outside `root` (traversal), a directory or a missing file. Never throws:
 * an unreadable file is a 404 too, so a broken install shows an error page rather than a crash.
 */
export function createAppProtocolHandler(options: AppProtocolOptions): ProtocolHandler {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return reply(options, 405, 'method not allowed', { allow: 'GET, HEAD' });
    }
    const url = new URL(request.url);
    const file = url.host === APP_HOST ? resolveStaticFile(options.root, url.pathname) : undefined;
    const body = file ? await readRegularFile(file) : undefined;
    if (!file || !body) return reply(options, 404, 'not found');
    return new Response(request.method === 'HEAD' ? null : body, {
      status: 200,
      headers: {
        ...options.headers,
        'content-type': contentTypeOf(file),
        'content-length': String(body.byteLength),
        'cache-control': 'no-store',
      },
    });
  };
}

async function readRegularFile(file: string): Promise<Uint8Array | undefined> {
  try {
    if (!(await stat(file)).isFile()) return undefined;
    return new Uint8Array(await readFile(file));
  } catch {
    return undefined;
  }
}

function reply(
  options: AppProtocolOptions,
  status: number,
  text: string,
  extra: Record<string, string> = {},
): Response {
  return new Response(text, {
    status,
    headers: { ...options.headers, ...extra, 'content-type': 'text/plain; charset=utf-8' },
  });
}
