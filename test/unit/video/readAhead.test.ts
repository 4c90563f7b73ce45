import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReadAhead } from '../../../main/core/video/mp4/boxes';
import { writeBehind } from '../../../main/core/video/remux/writeBehind';

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

describe('writeBehind', () => {
  it('flushes every 32 MiB, one at a time, and keeps the first flush error', async () => {
    const datasync = vi
      .fn<() => Promise<void>>()
      .mockRejectedValueOnce(new Error('EIO: i/o error'))
      .mockResolvedValue(undefined);
    const flushes = writeBehind({ datasync } as unknown as FileHandle);
    flushes.copied(16 * 1024 * 1024);
    expect(datasync).not.toHaveBeenCalled();
    flushes.copied(32 * 1024 * 1024);
    flushes.copied(70 * 1024 * 1024); // the first is still running
    expect(datasync).toHaveBeenCalledTimes(1);
    await new Promise((resolve) => setTimeout(resolve, 0));
    flushes.copied(70 * 1024 * 1024);
    expect(datasync).toHaveBeenCalledTimes(2);
    await expect(flushes.settle()).rejects.toThrow(/EIO/);
  });
});
