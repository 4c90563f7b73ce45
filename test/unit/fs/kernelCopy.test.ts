import { randomBytes } from 'node:crypto';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  KERNEL_COPY_MIN_BYTES,
  appendByKernel,
  canCopyInKernel,
} from '../../../main/core/fs/kernelCopy';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kernel-copy-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const available = canCopyInKernel(KERNEL_COPY_MIN_BYTES);
if (!available) console.log(`kernel copy: skipped, no coreutils cat on ${process.platform}`);

describe.skipIf(!available)('appendByKernel (coreutils cat, copy_file_range)', () => {
  it('appends the whole source after what was written, reporting progress up to its length', async () => {
    const source = join(dir, 'source.bin');
    const payload = randomBytes(KERNEL_COPY_MIN_BYTES + 3);
    await writeFile(source, payload);
    const target = join(dir, 'target.bin');
    const out = await open(target, 'w');
    const head = Buffer.from('header-bytes');
    await out.write(head);
    let reported = 0;
    await appendByKernel(source, out, head.length, payload.length, {
      onBytes: (bytes) => (reported += bytes),
    });
    await out.write(Buffer.from('tail'));
    await out.close();
    const bytes = await readFile(target);
    expect(bytes.subarray(0, head.length).toString()).toBe('header-bytes');
    expect(bytes.subarray(head.length, head.length + payload.length).equals(payload)).toBe(true);
    expect(bytes.subarray(head.length + payload.length).toString()).toBe('tail');
    expect(reported).toBe(payload.length);
  });

  it('names the source when it does not hold the announced number of bytes', async () => {
    const source = join(dir, 'changed.bin');
    await writeFile(source, randomBytes(1000));
    const out = await open(join(dir, 'target.bin'), 'w');
    try {
      await expect(appendByKernel(source, out, 0, 900)).rejects.toThrow(
        /changed\.bin: copied 1000 of 900 bytes \(the file changed while it was copied\)/,
      );
    } finally {
      await out.close();
    }
  });

  it('names the source it cannot open', async () => {
    const out = await open(join(dir, 'target.bin'), 'w');
    try {
      await expect(appendByKernel(join(dir, 'missing.bin'), out, 0, 10)).rejects.toThrow(
        /missing\.bin/,
      );
    } finally {
      await out.close();
    }
  });

  it('does not start when already aborted', async () => {
    const source = join(dir, 'source.bin');
    await writeFile(source, randomBytes(100));
    const out = await open(join(dir, 'target.bin'), 'w');
    const abort = new AbortController();
    abort.abort(new Error('operator cancelled'));
    try {
      await expect(appendByKernel(source, out, 0, 100, { signal: abort.signal })).rejects.toThrow(
        /operator cancelled/,
      );
      expect((await out.stat()).size).toBe(0);
    } finally {
      await out.close();
    }
  });
});
