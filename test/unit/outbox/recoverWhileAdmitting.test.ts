/**
 * Recovery (the process taking the spool lock) must not take another process's batch in flight
 * for a crash's leftovers: `capture-station import` and `queue add` admit job files without the
 * lock, and between a job file and its instance's rename the spool looks like an interrupted
 * enqueue. Such processes register while they admit (admitters.ts); review of 2026-12-06 found
 * recovery deleting their job files and temporary copies, and the image then orphaned.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jobRecord, makeHarness, spoolFolders } from './harness';
import { renameHook, resetRenameHook } from './renameHook';
import { testUid, writeInstance } from './instanceFixture';

vi.mock('node:fs/promises', async (original) =>
  (await import('./renameHook')).withRenameHook(original),
);

const neverTried = (id: string) => jobRecord(id, 'queued', 0);

const children: ChildProcess[] = [];
afterEach(() => {
  resetRenameHook();
  for (const child of children.splice(0)) child.kill();
});

/** A live process other than this one, as the CLI admitting next to the app would be. */
function otherProcess(): number {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], {
    stdio: 'ignore',
  });
  children.push(child);
  if (child.pid === undefined) throw new Error('could not start a helper process');
  return child.pid;
}

describe('recovery while another process admits job files', () => {
  it('leaves its job files and temporaries alone, and cleans up once that process is gone', async () => {
    const h = await makeHarness();
    const { jobs, files } = await spoolFolders(h);
    await writeFile(join(jobs, 'cccccccc-1.json'), JSON.stringify(neverTried('cccccccc-1')));
    await writeFile(join(files, '.tmp-0456-cccccccc-2.dcm'), 'copy being made');
    const admitting = join(h.store.folder, 'admitting');
    await mkdir(admitting);
    const other = otherProcess();
    await writeFile(join(admitting, `${other}-1`), '');

    await h.store.load({ recover: true });
    expect((await readdir(jobs)).sort()).toEqual(['cccccccc-1.json']);
    expect(await readdir(files)).toEqual(['.tmp-0456-cccccccc-2.dcm']);

    children.pop()?.kill();
    await new Promise((resolve) => setTimeout(resolve, 200)); // reaped: its PID is gone
    await writeFile(join(admitting, '999999999-1'), ''); // and one that never existed
    await h.store.load({ recover: true });
    expect(await readdir(jobs)).toEqual([]);
    expect(await readdir(files)).toEqual([]);
    expect(await readdir(admitting)).toEqual([]);
  });

  it('a lock-free enqueue is registered while it names its files, and not after', async () => {
    const h = await makeHarness();
    const outbox = await h.open();
    const admitting = join(h.store.folder, 'admitting');
    const seen: string[][] = [];
    renameHook.before = (_from, to) => {
      if (to.includes(join('outbox', 'files')) || to.endsWith('.dcm'))
        seen.push(existsSync(admitting) ? readdirSync(admitting) : []);
    };
    const file = await writeInstance(join(h.folder, 'a.dcm'), {
      sopInstanceUid: testUid(7),
    });
    await outbox.enqueue(file, { mode: 'move' });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((names) => names.some((n) => n.startsWith(`${process.pid}-`)))).toBe(true);
    expect(await readdir(admitting)).toEqual([]);
  });
});
