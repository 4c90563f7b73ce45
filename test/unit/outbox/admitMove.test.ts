/**
 * FileJobStore.admit with move fsyncs the source while it writes the job (two flushes at once,
 * bench/import), yet keeps the order recovery relies on: the job is durable before the instance
 * is placed, and a failure leaves neither the job nor the instance behind.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { FileJobStore } from '../../../main/core/outbox/JobStore';
import { newDelivery, type JobRecord } from '../../../main/core/outbox/jobTypes';
import { testUid, writeInstance } from './instanceFixture';

/** Called before every rename the store makes (durableFiles imports rename from here). */
const beforeRename = vi.hoisted(() => ({ hook: (_from: string, _to: string): void => undefined }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    rename: (from: string, to: string) => {
      beforeRename.hook(from, to);
      return actual.rename(from, to);
    },
  };
});

function jobFor(id: string): JobRecord {
  return {
    version: 1,
    id,
    sopClassUid: '1.2.840.10008.5.1.4.1.1.7',
    sopInstanceUid: testUid(7),
    bytes: 1,
    enqueuedAt: new Date(0).toISOString(),
    sourceName: 'x.dcm',
    deliveries: { pacs: newDelivery(false) },
  };
}

describe('FileJobStore.admit (move)', () => {
  it('places the instance only once its job file is on disk, and takes the source away', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'admit-move-'));
    const store = new FileJobStore(join(folder, 'spool'));
    const source = join(folder, 'in.dcm');
    await writeInstance(source, { sopInstanceUid: testUid(7) });
    const jobFile = join(folder, 'spool', 'jobs', 'job-00001.json');
    let jobExistedWhenPlaced: boolean | undefined;
    beforeRename.hook = (_from, to) => {
      if (to === store.instancePath('job-00001')) jobExistedWhenPlaced = existsSync(jobFile);
    };
    await store.admit(jobFor('job-00001'), source, 'move');
    expect(jobExistedWhenPlaced).toBe(true);
    expect(existsSync(source)).toBe(false);
    expect(existsSync(store.instancePath('job-00001'))).toBe(true);
    expect((await store.load({ recover: true })).map((j) => j.id)).toEqual(['job-00001']);
    beforeRename.hook = () => undefined;
  });

  it('leaves no job and no instance when the source cannot be synced', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'admit-move-'));
    const store = new FileJobStore(join(folder, 'spool'));
    await expect(
      store.admit(jobFor('job-00002'), join(folder, 'missing.dcm'), 'move'),
    ).rejects.toThrow(/ENOENT/);
    expect(await readdir(join(folder, 'spool', 'jobs'))).toEqual([]);
    expect(await readdir(join(folder, 'spool', 'files'))).toEqual([]);
  });
});
