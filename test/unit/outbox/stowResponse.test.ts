import { describe, expect, it } from 'vitest';
import { outcomesForAnswer } from '../../../main/core/outbox/senders/stowResponse';
import { planMultipart } from '../../../main/core/outbox/senders/stowMultipart';
import { PassThrough } from 'node:stream';
import { writeMultipart } from '../../../main/core/outbox/senders/stowMultipart';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const failed = (uid: string, reason: number) =>
  Buffer.from(
    JSON.stringify({
      '00081198': {
        vr: 'SQ',
        Value: [
          { '00081155': { vr: 'UI', Value: [uid] }, '00081197': { vr: 'US', Value: [reason] } },
        ],
      },
    }),
  );

describe('STOW-RS answers (PS3.18 10.5.3)', () => {
  it('200: stored; 202: the failed ones by reason, the rest stored', () => {
    expect(outcomesForAnswer(200, Buffer.from('{}'), ['1']).get('1')?.kind).toBe('stored');
    const partial = outcomesForAnswer(202, failed('2', 0xa900), ['1', '2']);
    expect(partial.get('1')?.kind).toBe('stored');
    expect(partial.get('2')).toMatchObject({ kind: 'refused', status: 0xa900 });
    expect(outcomesForAnswer(409, failed('1', 0xa700), ['1']).get('1')?.kind).toBe('retry');
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
