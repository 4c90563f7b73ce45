import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SpoolLockedError } from '../../../main/core/outbox/errors';
import { acquireSpoolLock, LOCK_FILE } from '../../../main/core/outbox/spoolLock';

describe('spool sender lock', () => {
  it('lets one process send and names the PID that holds it', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'lock-'));
    const lock = await acquireSpoolLock(folder);
    expect(await readFile(join(folder, LOCK_FILE), 'utf8')).toBe(`${process.pid}\n`);
    await expect(acquireSpoolLock(folder)).rejects.toThrow(SpoolLockedError);
    await lock.release();
    const again = await acquireSpoolLock(folder);
    await again.release();
  });

  it('takes over a lock whose process is gone (kill -9 leaves one behind)', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'lock-'));
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    await writeFile(join(folder, LOCK_FILE), `${dead.stdout.toString()}\n`);
    const lock = await acquireSpoolLock(folder);
    expect(await readFile(join(folder, LOCK_FILE), 'utf8')).toBe(`${process.pid}\n`);
    await lock.release();
  });

  it('refuses when another live process holds it', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'lock-'));
    await writeFile(join(folder, LOCK_FILE), '1\n'); // PID 1 is always alive
    await expect(acquireSpoolLock(folder)).rejects.toThrow(/another process \(PID 1\)/);
  });
});
