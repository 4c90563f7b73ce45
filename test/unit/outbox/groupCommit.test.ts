/**
 * Group commit (admitBatch.ts, GroupAdmitter.ts): many enqueues share their flushes, yet each job
 * keeps the order recovery relies on — every job file is named (and its folder flushed) before
 * any instance of the batch is placed — and a refused file does not take the others with it.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { canSyncFileSystem } from '../../../main/core/fs/syncFileSystem';
import { SYNC_WHOLE_MIN } from '../../../main/core/outbox/admitBatch';
import { OutboxFullError } from '../../../main/core/outbox/errors';
import { makeHarness } from './harness';
import { testUid } from './instanceFixture';
import { renameHook, resetRenameHook } from './renameHook';

const hooks = vi.hoisted(() => ({
  /** Called instead of nothing before each syncfs of a group (admitBatch, syncFileSystem.ts). */
  beforeSyncFs: (_path: string): void => undefined,
  syncFsCalls: 0,
}));
vi.mock('../../../main/core/fs/syncFileSystem', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../main/core/fs/syncFileSystem')>();
  return {
    ...actual,
    syncFileSystem: async (path: string) => {
      hooks.syncFsCalls++;
      hooks.beforeSyncFs(path);
      await actual.syncFileSystem(path);
    },
  };
});
vi.mock('node:fs/promises', async (original) =>
  (await import('./renameHook')).withRenameHook(original),
);

afterEach(() => {
  resetRenameHook();
  hooks.beforeSyncFs = () => undefined;
  hooks.syncFsCalls = 0;
});

describe('Outbox.enqueueMany', () => {
  it('names every job file before placing any instance, and settles each file on its own', async () => {
    const h = await makeHarness();
    const outbox = await h.open();
    const sources = await Promise.all([1, 2, 3, 4].map((n) => h.makeInstance(n)));
    const files = [...sources.slice(0, 2), join(h.folder, 'missing.dcm'), ...sources.slice(2)];
    const renames: string[] = [];
    renameHook.before = (_from, to) => renames.push(basename(dirname(to)));
    const results = await outbox.enqueueMany(files, { mode: 'move' });

    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    // One group: 4 job names, then 4 placements, never interleaved.
    expect(renames).toEqual(['jobs', 'jobs', 'jobs', 'jobs', 'files', 'files', 'files', 'files']);
    for (const source of sources) expect(existsSync(source)).toBe(false);
    const receipts = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(receipts.map((r) => r.sopInstanceUid)).toEqual([1, 2, 3, 4].map((n) => testUid(n)));
    for (const { jobId } of receipts) expect(existsSync(h.store.instancePath(jobId))).toBe(true);
    expect(outbox.snapshot().items).toHaveLength(4);
    const reopened = await h.store.load({ recover: true });
    expect(reopened.map((j) => j.id).sort()).toEqual(receipts.map((r) => r.jobId).sort());
  });

  it('leaves a file whose placement failed where it was, with no job, and admits the others', async () => {
    const h = await makeHarness();
    const outbox = await h.open();
    const sources = await Promise.all([5, 6, 7].map((n) => h.makeInstance(n)));
    const bytes = await readFile(sources[1] as string);
    renameHook.before = (from) => {
      if (from === sources[1]) throw Object.assign(new Error('EIO: simulated'), { code: 'EIO' });
    };
    const results = await outbox.enqueueMany(sources, { mode: 'move' });
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await readFile(sources[1] as string)).toEqual(bytes);
    const jobs = await readdir(join(h.store.folder, 'jobs'));
    expect(jobs.filter((name) => !name.startsWith('.'))).toHaveLength(2);
    expect(jobs.filter((name) => name.startsWith('.'))).toEqual([]);
    expect(await h.store.load({ recover: true })).toHaveLength(2);
  });

  it('applies the free-space guard to the group as a whole', async () => {
    const h = await makeHarness();
    const sources = await Promise.all([8, 9, 10].map((n) => h.makeInstance(n)));
    const size = (await readFile(sources[0] as string)).length;
    h.store.freeBytes = () => Promise.resolve(size * 2 + size / 2);
    const outbox = await h.open();
    const results = await outbox.enqueueMany(sources);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    const refused = results[2];
    expect(refused?.status === 'rejected' && refused.reason).toBeInstanceOf(OutboxFullError);
    expect(existsSync(sources[2] as string)).toBe(true);
  });
});

if (!canSyncFileSystem())
  console.log('syncfs group tests skipped: no coreutils `sync --file-system` (Linux only) here');
describe.runIf(canSyncFileSystem())('a group of SYNC_WHOLE_MIN or more (syncfs)', () => {
  const count = SYNC_WHOLE_MIN + 2;

  it('is made durable with one syncfs, job names still before any instance', async () => {
    const h = await makeHarness();
    const outbox = await h.open();
    const sources = await Promise.all(
      Array.from({ length: count }, (_, i) => h.makeInstance(50 + i)),
    );
    const renames: string[] = [];
    renameHook.before = (_from, to) => renames.push(basename(dirname(to)));
    const results = await outbox.enqueueMany(sources, { mode: 'move' });

    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(hooks.syncFsCalls).toBe(1);
    expect(renames).toEqual([
      ...Array<string>(count).fill('jobs'),
      ...Array<string>(count).fill('files'),
    ]);
    expect(await h.store.load({ recover: true })).toHaveLength(count);
  });

  it('admits none of the group when the syncfs fails, every source left in place', async () => {
    const h = await makeHarness();
    const outbox = await h.open();
    const sources = await Promise.all(
      Array.from({ length: count }, (_, i) => h.makeInstance(70 + i)),
    );
    hooks.beforeSyncFs = () => {
      throw new Error('EIO: simulated writeback error');
    };
    const results = await outbox.enqueueMany(sources, { mode: 'move' });

    expect(results.map((r) => r.status)).toEqual(Array<string>(count).fill('rejected'));
    for (const source of sources) expect(existsSync(source)).toBe(true);
    expect(await readdir(join(h.store.folder, 'jobs'))).toEqual([]);
    expect(await readdir(join(h.store.folder, 'files'))).toEqual([]);
  });
});

describe('Outbox.enqueue group commit', () => {
  it('groups enqueues that overlap, and each still resolves only once its job is on disk', async () => {
    const h = await makeHarness();
    const outbox = await h.open();
    const admitMany = vi.spyOn(h.store, 'admitMany');
    const sources = await Promise.all(Array.from({ length: 12 }, (_, i) => h.makeInstance(20 + i)));
    const receipts = await Promise.all(sources.map((s) => outbox.enqueue(s, { mode: 'move' })));
    expect(admitMany.mock.calls.length).toBeLessThan(sources.length);
    expect(admitMany.mock.calls.flatMap((call) => call[0])).toHaveLength(sources.length);
    for (const { jobId } of receipts) {
      expect(existsSync(join(h.store.folder, 'jobs', `${jobId}.json`))).toBe(true);
      expect(existsSync(h.store.instancePath(jobId))).toBe(true);
    }
  });

  it('admits a lone enqueue at once, with no waiting for company', async () => {
    const h = await makeHarness();
    const outbox = await h.open();
    // The harness's fake timers never fire by themselves: a linger would hang this test.
    const receipt = await outbox.enqueue(await h.makeInstance(40));
    expect(existsSync(h.store.instancePath(receipt.jobId))).toBe(true);
  });
});
