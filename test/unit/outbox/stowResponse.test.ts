import { describe, expect, it } from 'vitest';
import { outcomesForAnswer } from '../../../main/core/outbox/senders/stowResponse';
import { planMultipart } from '../../../main/core/outbox/senders/stowMultipart';
import { PassThrough } from 'node:stream';
import { writeMultipart } from '../../../main/core/outbox/senders/stowMultipart';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const failedItem = (uid: string, reason: number) => ({
  '00081155': { vr: 'UI', Value: [uid] },
  '00081197': { vr: 'US', Value: [reason] },
});
const failed = (uid: string, reason: number) =>
  Buffer.from(JSON.stringify({ '00081198': { vr: 'SQ', Value: [failedItem(uid, reason)] } }));

/** PS3.18 10.5.3: a 202 body listing `stored` in the Referenced SOP Sequence (0008,1199). */
const partial = (stored: readonly string[], failedUid: string, reason: number) =>
  Buffer.from(
    JSON.stringify({
      '00081198': { vr: 'SQ', Value: [failedItem(failedUid, reason)] },
      '00081199': {
        vr: 'SQ',
        Value: stored.map((uid) => ({ '00081155': { vr: 'UI', Value: [uid] } })),
      },
    }),
  );

describe('STOW-RS answers (PS3.18 10.5.3)', () => {
  it('200: stored; 202: the failed ones by reason, the referenced ones stored', () => {
    expect(outcomesForAnswer(200, Buffer.from('{}'), ['1']).get('1')?.kind).toBe('stored');
    const answer = outcomesForAnswer(202, partial(['1'], '2', 0xa900), ['1', '2']);
    expect(answer.get('1')?.kind).toBe('stored');
    expect(answer.get('2')).toMatchObject({ kind: 'refused', status: 0xa900 });
    expect(outcomesForAnswer(409, failed('1', 0xa700), ['1']).get('1')?.kind).toBe('retry');
  });

  it('202: one in neither sequence is retried, not stored: the server did not confirm it', () => {
    const answer = outcomesForAnswer(202, partial(['1'], '2', 0xa700), ['1', '2', '3']);
    expect(answer.get('1')?.kind).toBe('stored');
    expect(answer.get('2')).toMatchObject({ kind: 'retry', status: 0xa700 });
    const missing = answer.get('3');
    expect(missing?.kind).toBe('retry');
    expect(missing?.kind === 'retry' && missing.status).toBe(undefined);
    expect(missing?.kind === 'retry' && missing.message).toMatch(
      /did not confirm it was stored \(not in the Referenced SOP Sequence\)/,
    );
    // Only a Failed SOP Sequence: nothing else is confirmed either.
    expect(outcomesForAnswer(202, failed('2', 0xa900), ['1', '2']).get('1')?.kind).toBe('retry');
  });

  it('0x0111 duplicate SOP instance: needs a person, as over DIMSE, never counted as stored', () => {
    const answer = outcomesForAnswer(409, failed('1', 0x0111), ['1']).get('1');
    expect(answer).toMatchObject({ kind: 'refused', status: 0x0111 });
    expect(answer?.kind === 'refused' && answer.message).toMatch(
      /already has a SOP instance with this UID \(failure reason 0x0111\)/,
    );
  });

  it('4xx without details: refused with the HTTP status in words; 5xx and 429: retried', () => {
    expect(outcomesForAnswer(415, Buffer.from(''), ['1']).get('1')).toMatchObject({
      kind: 'refused',
      message: 'STOW-RS HTTP 415 media type not supported by the server',
    });
    expect(outcomesForAnswer(401, Buffer.from(''), ['1']).get('1')?.kind).toBe('refused');
    expect(outcomesForAnswer(503, Buffer.from('busy'), ['1']).get('1')?.kind).toBe('retry');
    expect(outcomesForAnswer(429, Buffer.from(''), ['1']).get('1')?.kind).toBe('retry');
  });

  it('computes Content-Length before streaming, equal to the bytes streamed', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'stow-'));
    await writeFile(join(folder, 'a'), Buffer.alloc(1000, 1));
    await writeFile(join(folder, 'b'), Buffer.alloc(3, 2));
    const plan = await planMultipart([join(folder, 'a'), join(folder, 'b')]);
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    await writeMultipart(plan, sink);
    const body = Buffer.concat(chunks);
    expect(body.length).toBe(plan.contentLength);
    const boundary = /boundary=(\S+)$/.exec(plan.contentType)?.[1] ?? '';
    expect(body.toString('latin1').endsWith(`--${boundary}--\r\n`)).toBe(true);
    expect(body.toString('latin1').match(/Content-Type: application\/dicom\r\n/g)).toHaveLength(2);
  });
});
