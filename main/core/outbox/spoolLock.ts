/**
 * One process sends from a spool at a time (the app or `capture-station queue run`): a lock file
 * holding the owner's PID, created with O_EXCL. A lock whose process is gone is taken over.
 * Enqueueing and reading status need no lock (each job is its own file, written atomically).
 */
import { open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { SpoolLockedError } from './errors';

export interface SpoolLock {
  readonly file: string;
  release(): Promise<void>;
}

export const LOCK_FILE = 'sender.lock';

/** Takes the lock or throws SpoolLockedError naming the PID that holds it. */
export async function acquireSpoolLock(folder: string, pid = process.pid): Promise<SpoolLock> {
  const file = join(folder, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await createExclusive(file, pid)) {
      return { file, release: () => rm(file, { force: true }) };
    }
    const holder = await readPid(file);
    if (holder !== undefined && holder !== pid && isAlive(holder))
      throw new SpoolLockedError(holder);
    if (holder === pid) throw new SpoolLockedError(holder);
    await takeOverStale(file, holder);
  }
  throw new SpoolLockedError((await readPid(file)) ?? -1);
}

async function createExclusive(file: string, pid: number): Promise<boolean> {
  try {
    const handle = await open(file, 'wx', 0o600);
    try {
      await handle.writeFile(`${pid}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Moves the stale lock aside and checks it is the one we judged stale: if another process took it
 * over meanwhile, put theirs back.
 */
async function takeOverStale(file: string, stalePid: number | undefined): Promise<void> {
  const aside = `${file}.stale-${process.pid}-${Date.now()}`;
  try {
    await rename(file, aside);
  } catch {
    return; // someone else moved it: try again
  }
  const moved = await readPid(aside);
  if (moved !== stalePid && moved !== undefined && isAlive(moved)) {
    await rename(aside, file);
    throw new SpoolLockedError(moved);
  }
  await rm(aside, { force: true });
}

async function readPid(file: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt(await readFile(file, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process with this PID exists (EPERM: it does, owned by another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The PID of the live process sending from this spool, if any (for `queue status`). */
export async function spoolSender(folder: string): Promise<number | undefined> {
  const pid = await readPid(join(folder, LOCK_FILE));
  return pid !== undefined && isAlive(pid) ? pid : undefined;
}
