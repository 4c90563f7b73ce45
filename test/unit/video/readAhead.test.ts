import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReadAhead } from '../../../main/core/video/mp4/boxes';

let dir = '';
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('ReadAhead', () => {
  it('serves any range as the file holds it, inside, across and past its window', async () => {
    dir = await mkdtemp(join(tmpdir(), 'read-ahead-'));
    const file = join(dir, 'data.bin');
    const bytes = randomBytes(10_000);
    await writeFile(file, bytes);
    const handle = await open(file, 'r');
    try {
      const read = vi.spyOn(handle, 'read');
      const source = new ReadAhead(handle, 1000);
      expect(await source.read(0, 8)).toEqual(bytes.subarray(0, 8));
      expect(await source.read(100, 500)).toEqual(bytes.subarray(100, 600)); // same window
      expect(read).toHaveBeenCalledTimes(1);
      expect(await source.read(900, 300)).toEqual(bytes.subarray(900, 1200)); // crosses its end
      expect(await source.read(5000, 3000)).toEqual(bytes.subarray(5000, 8000)); // larger than it
      expect(await source.read(9990, 32)).toEqual(bytes.subarray(9990)); // short only at the end
      expect(await source.read(20_000, 8)).toHaveLength(0);
    } finally {
      await handle.close();
    }
  });
});
