/**
 * syncFileSystem (core/fs/syncFileSystem.ts): syncfs(2) through coreutils `sync --file-system`,
 * one error naming the path when it cannot be done.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  canSyncFileSystem,
  FileSystemSyncError,
  syncCoprocess,
  syncFileSystem,
} from '../../../main/core/fs/syncFileSystem';
import { SyncCoprocess } from '../../../main/core/fs/SyncCoprocess';
import { coreutilsProgram } from '../../../main/core/fs/coreutils';

const JITI = join(resolve(import.meta.dirname, '../../..'), 'node_modules/jiti/lib/jiti-cli.mjs');
const commandOf = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');

if (!canSyncFileSystem())
  console.log('syncFileSystem tests skipped: no coreutils `sync --file-system` (Linux only) here');

describe.runIf(canSyncFileSystem())('syncFileSystem', () => {
  it('syncs the file system holding a folder or a file', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'cs-syncfs-'));
    const file = join(folder, 'written.bin');
    await writeFile(file, Buffer.alloc(64 * 1024, 7));
    await expect(syncFileSystem(folder)).resolves.toBeUndefined();
    await expect(syncFileSystem(file)).resolves.toBeUndefined();
  });

  it('rejects with one error naming the path when there is nothing there to sync', async () => {
    const missing = join(tmpdir(), 'cs-syncfs-missing', 'nowhere');
    const failure = syncFileSystem(missing);
    await expect(failure).rejects.toBeInstanceOf(FileSystemSyncError);
    await expect(failure).rejects.toThrow(missing);
  });

  it('runs every sync through one long-lived shell, started again if it is killed', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'cs-syncfs-'));
    await syncFileSystem(folder);
    const pid = syncCoprocess()?.pid;
    if (pid === undefined) throw new Error('no coprocess after a sync');
    expect(commandOf(pid)[0]).toBe('/bin/sh');
    await Promise.all(Array.from({ length: 10 }, () => syncFileSystem(folder)));
    expect(syncCoprocess()?.pid).toBe(pid);
    process.kill(pid, 'SIGKILL');
    // Answered by a `sync` of its own if the shell's end is not known yet, then a new shell.
    await expect(syncFileSystem(folder)).resolves.toBeUndefined();
    await expect(syncFileSystem(folder)).resolves.toBeUndefined();
    const next = syncCoprocess()?.pid;
    expect(next).toBeDefined();
    expect(next).not.toBe(pid);
  });

  it('syncs a path holding a newline (never written to the shell)', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'cs-syncfs-new\nline-'));
    await expect(syncFileSystem(folder)).resolves.toBeUndefined();
  });

  it('lets the process exit once its syncs are answered', { timeout: 30_000 }, async () => {
    const folder = await mkdtemp(join(tmpdir(), 'cs-syncfs-'));
    const child = join(import.meta.dirname, 'syncExitChild.ts');
    const run = promisify(execFile)(process.execPath, [JITI, child, folder], { timeout: 20_000 });
    await expect(run).resolves.toMatchObject({ stdout: 'synced\n' });
  });

  it('ends its shell once idle, and starts another for the next sync', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'cs-syncfs-'));
    const coprocess = new SyncCoprocess(coreutilsProgram('sync') ?? 'sync', 50);
    try {
      expect(await coprocess.sync(folder)).toEqual({ ok: true });
      const first = coprocess.pid;
      // Let go 50 ms after its answer; a loaded machine may fire that timer late.
      for (let waited = 0; coprocess.pid !== undefined && waited < 5_000; waited += 25)
        await new Promise((resolve) => setTimeout(resolve, 25));
      expect(coprocess.pid).toBeUndefined();
      expect(await coprocess.sync(folder)).toEqual({ ok: true });
      expect(coprocess.pid).toBeDefined();
      expect(coprocess.pid).not.toBe(first);
    } finally {
      coprocess.close();
    }
  });
});
