/**
 * What the large-file benches share: timing a command, letting the disk settle between
 * contenders, rotating who goes first, running this bench file again as a child that reports its
 * own peak RSS, and medians.
 */
import { execFile, spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';

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

/**
 * Runs the contenders of round `index`, the first one rotating from round to round so none always
 * runs first after the input was read and load from other processes hits all alike; settles
 * `outputs` before each and after the last.
 */
export async function rotated(
  index: number,
  steps: readonly (() => Promise<unknown>)[],
  outputs: readonly string[],
): Promise<void> {
  const settleAll = async () => {
    for (const output of outputs) await settle(output);
  };
  for (let i = 0; i < steps.length; i++) {
    await settleAll();
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
