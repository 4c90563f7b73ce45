/**
 * Processes that admit jobs without the spool lock (`capture-station import`, `queue add`: job
 * files, admitBatch.ts) register for the length of each batch: a file `admitting/<pid>-<n>`.
 * Between a batch's job files (step 2) and its instances' renames (step 3), and while its
 * temporary copies exist, the spool looks exactly like an enqueue a crash interrupted; the lock
 * holder's recovery (JobStore.load) removed both, and the other process then reported "queued"
 * for an image no job referred to. While a live process is registered, recovery leaves them
 * alone: the batch finishes, or a later recovery, once that process is gone, cleans up.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isAlive } from './spoolLock';

const FOLDER = 'admitting';
let registrations = 0;

/** Runs `admit` registered as an admitter of the spool in `spoolFolder`. */
export async function whileAdmitting<T>(spoolFolder: string, admit: () => Promise<T>): Promise<T> {
  const folder = join(spoolFolder, FOLDER);
  const file = join(folder, `${process.pid}-${++registrations}`);
  // Visibility is what matters, not durability: after a crash the PID is gone and ignored.
  await mkdir(folder, { recursive: true, mode: 0o700 });
  await writeFile(file, '', { mode: 0o600 });
  try {
    return await admit();
  } finally {
    await rm(file, { force: true });
  }
}

/**
 * Whether another live process is admitting to the spool in `spoolFolder`. Registrations of
 * processes that are gone are removed on the way.
 */
export async function othersAdmitting(spoolFolder: string): Promise<boolean> {
  const folder = join(spoolFolder, FOLDER);
  const names = await readdir(folder).catch(() => []);
  let live = false;
  for (const name of names) {
    const pid = Number.parseInt(name, 10);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) live = true;
    else await rm(join(folder, name), { force: true });
  }
  return live;
}
