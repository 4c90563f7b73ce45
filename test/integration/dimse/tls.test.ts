import { mkdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TlsSettings } from '../../../main/core/dimse/connect';
import { cEcho, VERIFICATION_CONTEXT } from '../../../main/core/dimse/echo';
import { ConnectionError } from '../../../main/core/dimse/errors';
import { openAssociation } from '../../../main/core/dimse/openAssociation';
import { makePki, startTlsStorescp, type TestPki, type TlsStorescp } from './tlsPeers';

const dir = path.join(os.tmpdir(), `dimse-tls-${process.pid}`);
let pki: TestPki;
let storescp: TlsStorescp;

beforeAll(async () => {
  await mkdir(path.join(dir, 'out'), { recursive: true });
  pki = await makePki(dir);
  storescp = await startTlsStorescp(pki, path.join(dir, 'out'), dir);
});
afterAll(async () => {
  await storescp?.stop();
  await rm(dir, { recursive: true, force: true });
});

const echoOver = async (tls: TlsSettings) => {
  const association = await openAssociation({
    host: '127.0.0.1',
    port: storescp.port,
    calledAeTitle: storescp.aet,
    callingAeTitle: 'CAPTURE1',
    presentationContexts: [VERIFICATION_CONTEXT],
    tls,
    timeouts: { connectMs: 5000, associationMs: 5000 },
  });
  try {
    return await cEcho(association);
  } finally {
    await association.release();
  }
};

describe('DICOM over TLS against storescp +tls', () => {
  it('mutual TLS with a trusted CA and a client certificate: echo succeeds', async () => {
    const tls = {
      ca: await readFile(pki.caCert),
      cert: await readFile(pki.clientCert),
      key: await readFile(pki.clientKey),
    };
    expect(await echoOver(tls)).toBe(0);
  });

  it('refuses a server whose certificate our CA did not sign', async () => {
    const tls = {
      ca: await readFile(pki.otherCaCert),
      cert: await readFile(pki.clientCert),
      key: await readFile(pki.clientKey),
    };
    const error = await echoOver(tls).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(/certificate/i);
  });

  it('without a client certificate the server refuses us: a typed error, never a hang', async () => {
    const error = await echoOver({ ca: await readFile(pki.caCert) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toMatch(/ConnectionError|AbortedError/);
  });
});
