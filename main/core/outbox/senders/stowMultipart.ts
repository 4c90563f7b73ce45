/**
 * The STOW-RS request body (PS3.18 10.5.1.2, RFC 2387 multipart/related; type="application/dicom"),
 * streamed from the spooled files with its exact length computed up front: DOMAIN.md measured
 * chunked transfer encoding costing Orthanc 4× the CPU, and a length lets the server refuse an
 * oversized request before reading it.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface MultipartPart {
  readonly path: string;
  readonly size: number;
  readonly header: Buffer;
}

export interface MultipartPlan {
  readonly contentType: string;
  readonly contentLength: number;
  readonly parts: readonly MultipartPart[];
  readonly closing: Buffer;
}

const CRLF = '\r\n';

/** Sizes are read from the files now, so Content-Length matches the bytes that will be sent. */
export async function planMultipart(paths: readonly string[]): Promise<MultipartPlan> {
  const boundary = `capture-station-${randomBytes(12).toString('hex')}`;
  const parts: MultipartPart[] = [];
  for (const path of paths) {
    const { size } = await stat(path);
    const header = Buffer.from(
      `--${boundary}${CRLF}Content-Type: application/dicom${CRLF}Content-Length: ${size}${CRLF}${CRLF}`,
      'latin1',
    );
    parts.push({ path, size, header });
  }
  const closing = Buffer.from(`--${boundary}--${CRLF}`, 'latin1');
  const contentLength =
    parts.reduce((n, part) => n + part.header.length + part.size + CRLF.length, 0) + closing.length;
  return {
    contentType: `multipart/related; type="application/dicom"; boundary=${boundary}`,
    contentLength,
    parts,
    closing,
  };
}

/** Writes the body with back-pressure, one file at a time; never holds a file in memory. */
export async function writeMultipart(
  plan: MultipartPlan,
  target: Writable,
  onProgress?: (partIndex: number, bytes: number) => void,
): Promise<void> {
  for (const [index, part] of plan.parts.entries()) {
    await write(target, part.header);
    const source = createReadStream(part.path, { highWaterMark: 1024 * 1024 });
    let sent = 0;
    if (onProgress) {
      source.on('data', (chunk: Buffer | string) => {
        sent += chunk.length;
        onProgress(index, sent);
      });
    }
    await pipeline(source, target, { end: false });
    await write(target, Buffer.from(CRLF, 'latin1'));
  }
  await write(target, plan.closing);
  target.end();
}

function write(target: Writable, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    target.write(bytes, (error) => (error ? reject(error) : resolve()));
  });
}
