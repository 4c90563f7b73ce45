/**
 * STOW-RS: to a real Orthanc (DICOMweb plugin), and to a scripted server that checks what a
 * strict archive checks — multipart/related with type="application/dicom", an exact
 * Content-Length and no chunking, the Authorization header — and answers 401 and 202 with a
 * Failed SOP Sequence (PS3.18 10.5.3).
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileSecretSource } from '../../../main/core/outbox/secrets';
import type { SendItem, SendOutcome } from '../../../main/core/outbox/senderTypes';
import { stowSender, type StowSenderOptions } from '../../../main/core/outbox/senders/stowSender';
import { startOrthanc, type Orthanc } from '../../services';
import { testUid } from '../../unit/outbox/instanceFixture';
import { makeInstances, makeStation, orthancSopInstanceUids } from './stationFixture';

async function itemsFor(folder: string, count: number, run: number): Promise<SendItem[]> {
  const paths = await makeInstances(folder, count, run);
  const { stat } = await import('node:fs/promises');
  return Promise.all(
    paths.map(async (path, i) => ({
      jobId: `job-${i}`,
      path,
      sopClassUid: '1.2.840.10008.5.1.4.1.1.7',
      sopInstanceUid: testUid(i + 1, run),
      bytes: (await stat(path)).size,
    })),
  );
}

const progressSeen = new Map<string, number>();

async function sendAll(options: StowSenderOptions, items: SendItem[]) {
  const outcomes = new Map<string, SendOutcome>();
  await stowSender(options).send(items, {
    signal: new AbortController().signal,
    report: (item, outcome) => outcomes.set(item.sopInstanceUid, outcome),
    progress: (item, bytes) => progressSeen.set(item.sopInstanceUid, bytes),
  });
  return outcomes;
}

describe('STOW-RS to Orthanc', () => {
  let orthanc: Orthanc;
  beforeAll(async () => {
    orthanc = await startOrthanc();
  });
  afterAll(async () => {
    await orthanc?.stop({ graceMs: 0 });
  });

  it('stores every instance, in requests bounded by size', async () => {
    const station = await makeStation({});
    const items = await itemsFor(join(station.home, 'in'), 5, 71);
    const outcomes = await sendAll({ url: orthanc.dicomWebUrl, maxRequestBytes: 1_000 }, items);
    expect([...outcomes.values()].map((o) => o.kind)).toEqual(Array(5).fill('stored'));
    expect(new Set(await orthancSopInstanceUids(orthanc.baseUrl))).toEqual(
      new Set(items.map((i) => i.sopInstanceUid)),
    );
  });
});

interface Seen {
  contentType?: string;
  contentLength?: string;
  transferEncoding?: string;
  received: number;
  authorization?: string;
}

describe('STOW-RS request and answer handling (scripted server)', () => {
  let server: http.Server;
  let base: string;
  const seen: Seen[] = [];
  let tokensIssued = 0;
  let rejectNextToken = false;

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      let received = 0;
      request.on('data', (chunk: Buffer) => (received += chunk.length));
      request.on('end', () => {
        if (request.url === '/token') {
          tokensIssued += 1;
          response.writeHead(200, { 'Content-Type': 'application/json' });
          response.end(JSON.stringify({ access_token: `token-${tokensIssued}`, expires_in: 3600 }));
          return;
        }
        seen.push({
          contentType: request.headers['content-type'],
          contentLength: request.headers['content-length'],
          transferEncoding: request.headers['transfer-encoding'],
          received,
          authorization: request.headers.authorization,
        });
        if (rejectNextToken) {
          rejectNextToken = false;
          response.writeHead(401).end('token revoked');
          return;
        }
        // PS3.18 10.5.3: one instance refused with Failure Reason 0xA900, the others listed as
        // stored (a 202 confirms only what its Referenced SOP Sequence lists).
        response.writeHead(202, { 'Content-Type': 'application/dicom+json' });
        response.end(
          JSON.stringify({
            '00081199': {
              vr: 'SQ',
              Value: [testUid(1, 81), testUid(3, 81)].map((uid) => ({
                '00081155': { vr: 'UI', Value: [uid] },
              })),
            },
            '00081198': {
              vr: 'SQ',
              Value: [
                {
                  '00081155': { vr: 'UI', Value: [testUid(2, 81)] },
                  '00081197': { vr: 'US', Value: [0xa900] },
                },
              ],
            },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('streams a multipart body with an exact Content-Length and reads failed instances', async () => {
    const station = await makeStation({});
    const items = await itemsFor(join(station.home, 'in'), 3, 81);
    const secrets = join(station.home, 'secrets');
    await mkdir(secrets);
    await writeFile(join(secrets, 'pacs-password'), 's3cret\n');
    await chmod(join(secrets, 'pacs-password'), 0o600);
    const outcomes = await sendAll(
      {
        url: `${base}/dicom-web`,
        auth: { type: 'basic', username: 'station', passwordSecret: 'pacs-password' },
        secrets: fileSecretSource(secrets),
      },
      items,
    );
    const request = seen.at(-1);
    expect(request?.contentType).toMatch(
      /^multipart\/related; type="application\/dicom"; boundary=\S+$/,
    );
    expect(request?.transferEncoding).toBeUndefined();
    expect(Number(request?.contentLength)).toBe(request?.received);
    expect(request?.authorization).toBe(
      `Basic ${Buffer.from('station:s3cret').toString('base64')}`,
    );
    expect(outcomes.get(testUid(1, 81))?.kind).toBe('stored');
    expect(outcomes.get(testUid(2, 81))).toMatchObject({ kind: 'refused', status: 0xa900 });
    expect(outcomes.get(testUid(3, 81))?.kind).toBe('stored');
    for (const item of items) expect(progressSeen.get(item.sopInstanceUid)).toBe(item.bytes);
  });

  it('fetches an OAuth2 client-credentials token, reuses it, and fetches a new one after a 401', async () => {
    const station = await makeStation({});
    const items = await itemsFor(join(station.home, 'in'), 1, 82);
    const secrets = join(station.home, 'secrets');
    await mkdir(secrets);
    await writeFile(join(secrets, 'client-secret'), 'abc');
    await chmod(join(secrets, 'client-secret'), 0o600);
    const options: StowSenderOptions = {
      url: `${base}/dicom-web`,
      auth: {
        type: 'oauth2',
        tokenUrl: `${base}/token`,
        clientId: 'station',
        clientSecretSecret: 'client-secret',
      },
      secrets: fileSecretSource(secrets),
    };
    const sender = stowSender(options);
    const send = () =>
      sender.send(items, { signal: new AbortController().signal, report: () => undefined });
    const before = tokensIssued;
    await send();
    await send();
    expect(tokensIssued - before).toBe(1);
    expect(seen.at(-1)?.authorization).toBe(`Bearer token-${tokensIssued}`);
    rejectNextToken = true;
    await send();
    expect(tokensIssued - before).toBe(2);
    expect(seen.at(-1)?.authorization).toBe(`Bearer token-${tokensIssued}`);
  });

  it('refuses to read a secret file others can read', async () => {
    const station = await makeStation({});
    await writeFile(join(station.home, 'open'), 'x');
    await chmod(join(station.home, 'open'), 0o644);
    await expect(fileSecretSource(station.home).get('open')).rejects.toThrow(/chmod 600/);
  });
});
