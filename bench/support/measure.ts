/**
 * What the large-file benches share: timing a command, letting the disk settle between
 * contenders, rotating who goes first, running this bench file again as a child that reports its
 * own peak RSS, and medians.
 */
import { execFile, spawn } from 'node:child_process';
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import type { CaptureContext } from '../../main/core/dicom/context';
import { stationEquipment } from '../../main/core/dicom/equipment';
import { CaptureSession } from '../../main/core/dicom/session';

const run = promisify(execFile);

/** Seconds a command takes (its output is read and dropped). */
export async function timed(command: string, args: string[]): Promise<number> {
  const start = performance.now();
  await run(command, args, { maxBuffer: 16 * 1024 * 1024 });
  return (performance.now() - start) / 1000;
}

/**
 * Deletes a contender's output and lets the file system settle (journal commit, and on a
 * `discard` mount the TRIM of its blocks), so no timing pays for the previous one's clean-up:
 * measured here, a write started right after deleting a synced 1 GiB file ran 3–8× slower.
 */
export async function settle(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
  await run('sync');
}

const WARM_CHUNK = Buffer.alloc(8 * 1024 * 1024);

/**
 * Writes and deletes `bytes` of scratch file in `folder`, so the next contender's writes land in
 * memory the guest has just used. This machine is a VM that hands freed memory back to its host
 * a few seconds after it is freed; memory taken back then costs a host fault per page. Measured
 * here (2 GiB, `cp` into the page cache): 0.9–1.2 s right after a 2 GiB file was deleted or after
 * this warm-up, 5.6–6.9 s when 5 s had passed — whichever contender came after a pause (a
 * `sync`, a child's start) paid it, and the 2 GiB wrap bench swung between 0.38× and 0.84× of
 * `cp` on that alone.
 */
export async function warmMemory(folder: string, bytes: number): Promise<void> {
  const scratch = join(folder, '.warm-memory');
  const file = await open(scratch, 'w');
  try {
    for (let left = bytes; left > 0; left -= WARM_CHUNK.length)
      await file.write(WARM_CHUNK, 0, Math.min(WARM_CHUNK.length, left));
  } finally {
    await file.close();
    await rm(scratch, { force: true });
  }
}

/**
 * Runs the contenders of round `index`, the first one rotating from round to round so none always
 * runs first after the input was read and load from other processes hits all alike; settles
 * `outputs` before each and after the last. With `warm`, each contender starts right after
 * warmMemory(warm.folder, warm.bytes).
 */
export async function rotated(
  index: number,
  steps: readonly (() => Promise<unknown>)[],
  outputs: readonly string[],
  warm?: { readonly folder: string; readonly bytes: number },
): Promise<void> {
  const settleAll = async () => {
    for (const output of outputs) await settle(output);
  };
  for (let i = 0; i < steps.length; i++) {
    await settleAll();
    if (warm) await warmMemory(warm.folder, warm.bytes);
    await steps[(i + index) % steps.length]?.();
  }
  await settleAll();
}

/** This process's peak resident set (VmHWM), MiB: for the child's own report. */
export async function peakRssMiB(): Promise<number> {
  const status = await readFile('/proc/self/status', 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/**
 * Runs this bench file again with `--child ...args` and parses the one JSON line it prints, so the
 * measured work has a process (and a peak RSS) of its own.
 */
export function runSelfAsChild<T>(args: readonly string[], what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [process.argv[1] ?? '', '--child', ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let text = '';
    proc.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    proc.on('error', reject);
    proc.on('exit', (code) => {
      if (code !== 0) reject(new Error(`${what} child exited with ${code}`));
      else resolve(JSON.parse(text) as T);
    });
  });
}

export const median = (values: readonly number[]): number =>
  [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? NaN;

/** "1.23, 1.31, 1.28": every value, for the reader to see the spread. */
export const list = (values: readonly number[]): string =>
  values.map((v) => v.toFixed(2)).join(', ');

/**
 * The capture context the video benches wrap with: a bench patient, and the body site a video
 * needs (SNOMED CT 69695003, stomach; PS3.3 C.8.12.1 requires a region for video).
 */
export function benchVideoContext(seriesKey: string): CaptureContext {
  const session = new CaptureSession({
    patient: { name: { alphabetic: 'Bench^Mark' }, id: 'BENCH' },
    equipment: stationEquipment({ name: 'BENCH', aeTitle: 'BENCH' }),
  });
  return session.next({ seriesKey, capturedAt: new Date(), region: { code: '69695003' } });
}
