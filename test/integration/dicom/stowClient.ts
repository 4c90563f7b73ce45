import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import { pipeline } from 'node:stream/promises';

/**
 * A minimal STOW-RS client for the tests (PS3.18 10.5): one multipart/related request with a
 * Content-Length (Orthanc spends 4× the CPU on chunked bodies), files streamed from disk.
 * Resolves with the status code and the JSON response body.
 */
export async function stowFiles(
  studiesUrl: string,
  files: readonly string[],
): Promise<{ status: number; body: unknown }> {
  const boundary = `capture-${randomBytes(12).toString('hex')}`;
  const partHeader = Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`);
  const partEnd = Buffer.from('\r\n');
  const closing = Buffer.from(`--${boundary}--\r\n`);
  const sizes = await Promise.all(files.map(async (f) => (await stat(f)).size));
  const length =
    sizes.reduce((sum, size) => sum + partHeader.length + size + partEnd.length, 0) +
    closing.length;
  const url = new URL(studiesUrl);
  const request = http.request(url, {
    method: 'POST',
    headers: {
      'Content-Type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
      'Content-Length': length,
      Accept: 'application/dicom+json',
    },
  });
  const response = new Promise<http.IncomingMessage>((resolve, reject) => {
    request.on('response', resolve);
    request.on('error', reject);
  });
  for (const file of files) {
    request.write(partHeader);
    await pipeline(createReadStream(file), request, { end: false });
    request.write(partEnd);
  }
  request.end(closing);
  const res = await response;
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return { status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** GET a URL into a Buffer; throws on a non-2xx status with the body in the message. */
export async function httpGet(url: string, accept?: string): Promise<Buffer> {
  const res = await fetch(url, accept ? { headers: { Accept: accept } } : {});
  const body = Buffer.from(await res.arrayBuffer());
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${body.toString('utf8').slice(0, 300)}`);
  return body;
}
