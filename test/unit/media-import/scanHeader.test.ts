import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPart10 } from './buildPart10';
import { scanBytes } from './spliceElements';

const work = mkdtempSync(join(tmpdir(), 'scan-unit-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const good = buildPart10({
  sopInstanceUid: '1.2.826.0.1.3680043.2.1143.4.1',
  patientId: 'P',
  patientName: 'A^B',
  studyUid: '1.2.826.0.1.3680043.2.1143.4.2',
  seriesUid: '1.2.826.0.1.3680043.2.1143.4.3',
});

function replaced(from: string, to: string): Buffer {
  const at = good.indexOf(Buffer.from(from, 'latin1'));
  const copy = Buffer.from(good);
  copy.write(to, at, 'latin1');
  return copy;
}

describe('scanHeader refusals', () => {
  it('finds the Pixel Data element and stops there', async () => {
    const header = await scanBytes(work, 'good', good);
    expect(header.pixelDataOffset).toBe(good.length - 64 - 12);
    expect(header.bytes.length).toBe(header.pixelDataOffset);
  });

  it.each([
    ['big endian', replaced('1.2.840.10008.1.2.1\0', '1.2.840.10008.1.2.2\0'), /Big Endian/],
    [
      'no preamble',
      Buffer.concat([Buffer.alloc(128), Buffer.from('DUCK'), good.subarray(132)]),
      /DICM/,
    ],
    ['empty', Buffer.alloc(0), /DICM/],
    ['cut in the meta group', good.subarray(0, 150), /truncated/],
    [
      'element out of order',
      replaced('PN', 'PN').fill(
        0x00,
        good.indexOf(Buffer.from('PN')) - 4,
        good.indexOf(Buffer.from('PN')) - 2,
      ),
      /out of order/,
    ],
  ])('refuses %s with a reason', async (name, bytes, reason) => {
    await expect(scanBytes(work, name.replace(/ /g, '-'), bytes)).rejects.toThrow(reason);
  });
});
