/**
 * Confining requests for the built renderer to its folder, shared by Electron's `app://` protocol
 * handler (main/app) and the browser-mode server (main/serve). Electron-free.
 */
import { extname, resolve, sep } from 'node:path';

/** Content types of what the renderer build contains; anything else is octet-stream. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.wav': 'audio/wav',
  '.y4m': 'video/x-raw-yuv',
};

/** The Content-Type to send for a file, by extension (case-insensitive). */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file under `root` that a URL path (`/assets/x.js`, still percent-encoded) names; `/` means
 * `index.html`. Undefined when the path is malformed (bad escape, NUL) or would resolve outside
 * `root` by any means (`..`, `%2e%2e`, an encoded `/` or `\`, an absolute path): such requests must
 * get a 404, never a file. Does not touch the disk; the caller still checks the file exists.
 */
export function resolveStaticFile(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const relative = decoded.replace(/^[/\\]+/, '');
  const rootPath = resolve(root);
  const file = resolve(rootPath, relative === '' ? 'index.html' : relative);
  return file.startsWith(rootPath + sep) ? file : undefined;
}
