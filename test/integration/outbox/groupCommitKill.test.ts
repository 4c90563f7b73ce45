/**
 * Group commit under SIGKILL: a process admits files in batches of 16 (FileJobStore.admitMany,
 * move) and is killed at random moments, mid-batch; recovery runs and the survivors are admitted
 * by the next process, as an import would redo them. Both ways of admitting: job files (any
 * process) and journal admission lines (the spool lock's holder). After every kill, each file is in exactly
 * one place, whole: admitted (job + byte-identical instance, source gone) or not at all (no job
 * after recovery, source where it was, unchanged). Every file reported admitted stayed admitted.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileJobStore } from '../../../main/core/outbox/JobStore';
import { exited, sleep } from './stationFixture';

const FILES = 240;
const KILLS = 8;
const JITI = join(resolve(import.meta.dirname, '../../..'), 'node_modules/jiti/lib/jiti-cli.mjs');
const CHILD = join(import.meta.dirname, 'admitChild.ts');

async function checkSpool(
  spool: string,
  inbox: string,
  originals: ReadonlyMap<string, Buffer>,
  promised: ReadonlySet<string>,
  mode: string,
): Promise<number> {
  const store = new FileJobStore(spool);
  const jobs = await store.load({ recover: true });
  const admitted = new Set<string>();
  for (const job of jobs) {
    expect(admitted.has(job.sourceName)).toBe(false);
    admitted.add(job.sourceName);
    const spooled = await readFile(store.instancePath(job.id));
    expect(spooled.equals(originals.get(job.sourceName) ?? Buffer.alloc(0)), job.sourceName).toBe(
      true,
    );
    expect(existsSync(join(inbox, job.sourceName))).toBe(false);
  }
  for (const [name, bytes] of originals) {
    if (admitted.has(name)) continue;
    expect(promised.has(name)).toBe(false);
    expect(existsSync(join(inbox, name)), `${name} neither admitted nor in place`).toBe(true);
    expect((await readFile(join(inbox, name))).equals(bytes), name).toBe(true);
  }
  for (const folder of ['jobs', 'files'])
    expect((await readdir(join(spool, folder))).filter((n) => n.startsWith('.'))).toEqual([]);
  expect(await readdir(join(spool, 'files'))).toHaveLength(jobs.length);
  const jobFiles = (await readdir(join(spool, 'jobs'))).filter((n) => n !== 'updates.jsonl');
  if (mode === 'journal') expect(jobFiles).toEqual([]);
  else expect(jobFiles).toHaveLength(jobs.length);
  return admitted.size;
}

describe.each(['files', 'journal'])('group commit under SIGKILL, jobs admitted as %s', (mode) => {
  it(
    `keeps every job whole or absent through ${KILLS} kills mid-batch`,
    { timeout: 120_000 },
    async () => {
      const root = await mkdtemp(join(tmpdir(), 'group-commit-kill-'));
      const spool = join(root, 'spool');
      const inbox = join(root, 'in');
      await mkdir(inbox);
      const originals = new Map<string, Buffer>();
      for (let i = 0; i < FILES; i++) {
        const name = `${String(i).padStart(6, '0')}.dcm`;
        const bytes = randomBytes(32 * 1024 + i);
        originals.set(name, bytes);
        await writeFile(join(inbox, name), bytes);
      }
      const promised = new Set<string>();
      let killedMidway = 0;
      for (let kill = 0; kill <= KILLS; kill++) {
        const child = spawn(process.execPath, [JITI, CHILD, spool, inbox, '16', mode], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const ready = new Promise<void>((done) =>
          child.stdout.on('data', (chunk: Buffer) => {
            stdout += chunk.toString();
            if (stdout.includes('ready\n')) done();
          }),
        );
        await Promise.race([ready, exited(child)]);
        if (kill < KILLS) {
          await Promise.race([sleep(Math.random() * 50), exited(child)]);
          if (child.exitCode === null) killedMidway += 1;
          child.kill('SIGKILL');
        }
        await exited(child);
        expect(stderr).toBe('');
        for (const line of stdout.split('\n'))
          if (line.startsWith('admitted '))
            for (const n of line.slice(9).split(' ')) promised.add(n);
        const count = await checkSpool(spool, inbox, originals, promised, mode);
        if (kill === KILLS) expect(count).toBe(FILES);
      }
      console.log(
        `group commit kill test (${mode}): ${killedMidway} of ${KILLS} kills hit a running admit`,
      );
      expect(killedMidway).toBeGreaterThan(0);
    },
  );
});
