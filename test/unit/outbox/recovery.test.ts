import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jobRecord, makeHarness, ScriptedSender, spoolFolders, until } from './harness';

const job = jobRecord;

describe('spool recovery after a crash', () => {
  it('sends again what was being sent, drops unfinished enqueues and removals, clears temporaries', async () => {
    const h = await makeHarness();
    const { jobs, files } = await spoolFolders(h);
    // Killed while sending: the job and its instance are both there.
    await writeFile(join(jobs, 'aaaaaaaa-1.json'), JSON.stringify(job('aaaaaaaa-1', 'sending', 0)));
    await writeFile(join(files, 'aaaaaaaa-1.dcm'), 'dicom');
    // Killed between the job file and the instance: enqueue never resolved, so nothing was promised.
    await writeFile(join(jobs, 'aaaaaaaa-2.json'), JSON.stringify(job('aaaaaaaa-2', 'queued', 0)));
    // Killed while removing a finished job: instance gone, job file left.
    await writeFile(join(jobs, 'aaaaaaaa-3.json'), JSON.stringify(job('aaaaaaaa-3', 'sent', 1)));
    // Killed in the middle of a durable write.
    await writeFile(join(jobs, '.tmp-0123-aaaaaaaa-1.json'), '{"vers');
    await writeFile(join(files, '.tmp-0123-aaaaaaaa-4.dcm'), 'part');

    const outbox = await h.open();
    const items = outbox.snapshot().items;
    expect(items.map((i) => [i.jobId, i.deliveries.pacs?.state])).toEqual([
      ['aaaaaaaa-1', 'queued'],
    ]);
    expect((await readdir(jobs)).sort()).toEqual(['aaaaaaaa-1.json']);
    expect(await readdir(files)).toEqual(['aaaaaaaa-1.dcm']);
  });

  it('keeps, and reports, an attempted job whose instance vanished instead of hiding it', async () => {
    const h = await makeHarness();
    const { jobs } = await spoolFolders(h);
    await writeFile(
      join(jobs, 'bbbbbbbb-1.json'),
      JSON.stringify(job('bbbbbbbb-1', 'waiting-to-retry', 2)),
    );
    await h.open();
    expect(existsSync(join(jobs, 'bbbbbbbb-1.json'))).toBe(true);
  });

  it('a reader that is not the sender (CLI status) changes nothing on disk', async () => {
    const h = await makeHarness();
    const { jobs } = await spoolFolders(h);
    await writeFile(join(jobs, 'cccccccc-1.json'), JSON.stringify(job('cccccccc-1', 'queued', 0)));
    await writeFile(join(jobs, '.tmp-1-cccccccc-1.json'), '{');
    const loaded = await h.store.load({ recover: false });
    expect(loaded).toEqual([]);
    expect((await readdir(jobs)).sort()).toEqual(['.tmp-1-cccccccc-1.json', 'cccccccc-1.json']);
  });
});

describe('jobs from elsewhere', () => {
  it('sends jobs another process enqueued (queue add while the app sends)', async () => {
    const h = await makeHarness();
    const sending = await h.open({ rescanMs: 2_000 });
    sending.start();
    // The CLI's `queue add`: same spool, no lock, no recovery.
    const other = await h.openOther();
    const { jobId } = await other.enqueue(await h.makeInstance(7));
    h.timers.advance(2_000);
    await until(() => (h.senders.get('pacs')?.sent.length ?? 0) === 1, 'picked up by the sender');
    expect(h.senders.get('pacs')?.sent[0]?.jobId).toBe(jobId);
    await sending.stop();
  });

  it('flags work for a destination removed from the configuration', async () => {
    const h = await makeHarness(['pacs', 'vna']);
    const before = await h.open();
    await before.enqueue(await h.makeInstance(1));
    const after = await h.open({
      destinations: [
        {
          name: 'pacs',
          sender: h.senders.get('pacs') as ScriptedSender,
          commitRequested: false,
          demo: false,
        },
      ],
    });
    expect(after.snapshot().items[0]?.deliveries.vna).toMatchObject({
      state: 'needs-attention',
      problem: 'destination "vna" is no longer configured',
    });
  });
});
