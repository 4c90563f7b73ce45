import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VERIFICATION_CONTEXT } from '../../../main/core/dimse/echo';
import { commitStorage } from '../../../main/core/dimse/commitStorage';
import { encodeDataSet, tag } from '../../../main/core/dimse/dataSet';
import { queryWorklist } from '../../../main/core/dimse/worklist';
import {
  AbortedError,
  CancelledError,
  AssociationRejectedError,
  ConnectionError,
  TimeoutError,
} from '../../../main/core/dimse/errors';
import { openAssociation } from '../../../main/core/dimse/openAssociation';
import { freePort } from '../../services';
import { sendFiles } from '../../../main/core/dimse/sendFiles';
import { startFakePeer, type FakePeer } from './fakePeer';
import { makeLargeInstance } from './fixtures';

let peer: FakePeer | undefined;
afterEach(async () => {
  await peer?.stop();
  peer = undefined;
});

const associate = (port: number, associationMs = 5000) =>
  openAssociation({
    host: '127.0.0.1',
    port,
    calledAeTitle: 'PEER',
    callingAeTitle: 'CAPTURE1',
    presentationContexts: [VERIFICATION_CONTEXT],
    timeouts: { connectMs: 2000, associationMs },
  });

describe('association failures are typed errors', () => {
  it('reports a rejection with result, source and reason in words', async () => {
    peer = await startFakePeer({ kind: 'reject', result: 1, source: 1, reason: 7 });
    const error = await associate(peer.port).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AssociationRejectedError);
    expect((error as AssociationRejectedError).reasonText).toBe('called AE title not recognised');
    expect((error as Error).message).toBe(
      'association rejected (permanent) by the called application (service user): called AE title not recognised',
    );
  });

  it('gives TimeoutError("association") when the peer never answers the request', async () => {
    peer = await startFakePeer({ kind: 'silent' });
    const started = Date.now();
    const error = await associate(peer.port, 300).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).phase).toBe('association');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('gives ConnectionError when nothing listens', async () => {
    const port = await freePort();
    await expect(associate(port)).rejects.toBeInstanceOf(ConnectionError);
  });
});

describe('C-STORE failures: the object is reported not sent', () => {
  let large: string;
  const dir = path.join(os.tmpdir(), `dimse-fail-${process.pid}`);
  beforeAll(async () => {
    await mkdir(dir, { recursive: true });
    large = await makeLargeInstance(dir, 4);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const send = (port: number, responseMs = 5000) =>
    sendFiles([large], {
      peer: { host: '127.0.0.1', port, calledAeTitle: 'PEER', callingAeTitle: 'CAPTURE1' },
      timeouts: { responseMs },
    });

  it('peer aborts mid-transfer: AbortedError', async () => {
    peer = await startFakePeer({ kind: 'accept', abortAfterBytes: 512 * 1024 });
    const [result] = await send(peer.port);
    expect(result?.stored).toBe(false);
    expect(result?.error).toBeInstanceOf(AbortedError);
    expect(peer.receivedBytes()).toBeLessThan(4 * 1024 * 1024);
  });

  it('peer takes the data but never answers: TimeoutError("response") within the timeout', async () => {
    peer = await startFakePeer({ kind: 'accept' });
    const started = Date.now();
    const [result] = await send(peer.port, 500);
    expect(result?.stored).toBe(false);
    expect(result?.error).toBeInstanceOf(TimeoutError);
    expect((result?.error as TimeoutError).phase).toBe('response');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('peer rejects the association: AssociationRejectedError, not sent', async () => {
    peer = await startFakePeer({ kind: 'reject', result: 2, source: 3, reason: 2 });
    const [result] = await send(peer.port);
    expect(result?.stored).toBe(false);
    expect(result?.message).toBe(
      'not sent: association rejected (transient) by the presentation service provider: local limit exceeded (too many associations)',
    );
  });
});

describe('worklist query cancelled by the user', () => {
  it('sends C-CANCEL on abort and ends with CancelledError once the peer confirms 0xFE00', async () => {
    const match = encodeDataSet(
      [{ tag: tag(0x0010, 0x0020), vr: 'LO', value: 'PID1' }],
      'explicit',
    );
    peer = await startFakePeer({ kind: 'accept', pendingFind: match });
    const user = new AbortController();
    const seen: string[] = [];
    const query = queryWorklist(
      { host: '127.0.0.1', port: peer.port, calledAeTitle: 'PEER', callingAeTitle: 'CAPTURE1' },
      {},
      {
        signal: user.signal,
        onItem: (item) => (seen.push(item.patient.id), user.abort()),
        timeouts: { responseMs: 2000 },
      },
    );
    await expect(query).rejects.toBeInstanceOf(CancelledError);
    expect(seen).toEqual(['PID1']);
  });
});

describe('C-STORE cancelled by the user', () => {
  it('aborts the object in flight and reports it and the rest not sent', async () => {
    const dir = path.join(os.tmpdir(), `dimse-cancel-${process.pid}`);
    await mkdir(dir, { recursive: true });
    try {
      const large = await makeLargeInstance(dir, 2);
      peer = await startFakePeer({ kind: 'accept' });
      const user = new AbortController();
      setTimeout(() => user.abort(), 200);
      const results = await sendFiles([large, large], {
        peer: {
          host: '127.0.0.1',
          port: peer.port,
          calledAeTitle: 'PEER',
          callingAeTitle: 'CAPTURE1',
        },
        signal: user.signal,
      });
      expect(results.map((r) => [r.stored, r.error?.name])).toEqual([
        [false, 'CancelledError'],
        [false, 'CancelledError'],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('storage commitment report on the N-ACTION association', () => {
  it('is read and acknowledged there when the archive uses the SCP role we offered', async () => {
    peer = await startFakePeer({ kind: 'accept', commitHere: true });
    const references = [{ sopClassUid: '1.2.840.10008.5.1.4.1.1.7', sopInstanceUid: '1.2.3.4.5' }];
    const report = await commitStorage({
      peer: {
        host: '127.0.0.1',
        port: peer.port,
        calledAeTitle: 'PEER',
        callingAeTitle: 'CAPTURE1',
      },
      references,
      reportTimeoutMs: 2000,
    });
    expect(report.eventTypeId).toBe(1);
    expect(report.results).toEqual([{ ...references[0], committed: true }]);
    expect(peer.acknowledged).toEqual([0]);
  });
});
