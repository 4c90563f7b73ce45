import type { FileHandle } from 'node:fs/promises';
import { describe, expect, it, vi } from 'vitest';
import { EarlyWriteback } from '../../../main/core/fs/EarlyWriteback';

function fakeFile(datasync: () => Promise<void>): FileHandle {
  return { datasync } as unknown as FileHandle;
}

describe('EarlyWriteback', () => {
  it('flushes once per threshold, never two flushes at a time', async () => {
    let release = () => undefined as void;
    const datasync = vi.fn(() => new Promise<void>((resolve) => (release = resolve)));
    const writeback = new EarlyWriteback(fakeFile(datasync), 100);
    writeback.wrote(60);
    expect(datasync).not.toHaveBeenCalled();
    writeback.wrote(60);
    expect(datasync).toHaveBeenCalledTimes(1);
    writeback.wrote(500); // one is running: no second flush
    expect(datasync).toHaveBeenCalledTimes(1);
    release();
    await writeback.settle();
    writeback.wrote(100);
    expect(datasync).toHaveBeenCalledTimes(2);
    release();
    await writeback.settle();
  });

  it('keeps the first flush error for settle(), since a later fsync may not report it', async () => {
    const datasync = vi
      .fn<() => Promise<void>>()
      .mockRejectedValueOnce(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }))
      .mockResolvedValue(undefined);
    const writeback = new EarlyWriteback(fakeFile(datasync), 10);
    writeback.wrote(10);
    await new Promise((resolve) => setTimeout(resolve, 0));
    writeback.wrote(10); // this flush succeeds; the earlier failure must still surface
    await expect(writeback.settle()).rejects.toThrow(/EIO/);
  });
});
