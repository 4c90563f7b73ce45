/**
 * Benchmark (not part of the test run): shutter to durable in the review store, at 1080p, in
 * browser mode — Debian Chromium's fake camera fed a 1920×1080 y4m that ffmpeg makes here, the
 * real renderer, the station over its WebSocket. Each shutter is timed in the page from the click
 * to the thumbnail saying "In review" (the station has fsynced and renamed the JPEG and its
 * record), and split in two: frame to base64 JPEG (grabStill's own User Timing measure; the encode
 * runs in a worker) and the rest (the WebSocket both ways, the station, the page's event loop).
 * The station's part (payload check and durable write, called in-process with a frame the page
 * encoded) is timed alone too.
 * Prints p50/p95 and the ratio to the 150 ms target.
 *
 *   npm run build --silent && npx jiti bench/capture/shutter.bench.ts     (BENCH_SHUTTERS=40)
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { dispatch } from '../../main/core/rpc/dispatch';
import {
  openStationPage,
  startE2eStation,
  type E2eStation,
} from '../../test/e2e/support/browserMode';

const run = promisify(execFile);
const SHUTTERS = Number(process.env.BENCH_SHUTTERS ?? 40);
const WARM_UP = 3;
const TARGET_MS = 150;

/** 2 s of 1080p30 test pattern (moving), as raw 4:2:0 for Chromium's fake camera. */
async function makeClip(dir: string): Promise<string> {
  const file = join(dir, 'camera-1080p.y4m');
  await run('ffmpeg', [
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=1920x1080:rate=30',
    '-t',
    '2',
    '-pix_fmt',
    'yuv420p',
    file,
  ]);
  return file;
}

/*
 * The page-side timers, as script text: bench/ is type-checked for Node without the DOM library,
 * and these run in Chromium, not here.
 */

/**
 * Clicks the shutter; resolves with [ms until thumbnail `nth` (1-based) is in review, ms of it
 * that grabStill took from frame to base64 JPEG (its User Timing measure, see grabStill.ts)].
 */
const SHUTTER = `(nth) => new Promise((resolve, reject) => {
  const state = () =>
    document.querySelectorAll('[data-testid="thumbnail"]')[nth - 1]?.getAttribute('data-state');
  const started = performance.now();
  const observer = new MutationObserver(() => {
    const now = state();
    if (now === 'review') {
      observer.disconnect();
      const encode = performance.getEntriesByName('capture:still-encode').at(-1);
      resolve([performance.now() - started, encode ? encode.duration : NaN]);
    } else if (now === 'failed') {
      observer.disconnect();
      reject(new Error('the still was not saved'));
    }
  });
  observer.observe(document.body, { subtree: true, childList: true, attributes: true });
  document.querySelector('[data-testid="capture-still"]').click();
})`;

/** One 1080p frame as the page encodes it, in base64 (for timing the station alone). */
const FRAME_JPEG = `async () => {
  const video = document.querySelector('[data-testid="live-preview"]');
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext('2d').drawImage(video, 0, 0);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.92));
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}`;

/** The station's share: validate the payload and make the still durable in the review store. */
async function timeStation(e2e: E2eStation, item: unknown, jpegBase64: string): Promise<number> {
  const started = performance.now();
  const result = await dispatch(e2e.mode.station.handlers, 'reviewStill', {
    item,
    jpegBase64,
    capturedAt: new Date().toISOString(),
  });
  if (!result.ok) throw new Error(result.error.message);
  return performance.now() - started;
}

async function timeShutter(page: Page, nth: number): Promise<{ total: number; encode: number }> {
  const ms: unknown = await page.evaluate(`(${SHUTTER})(${nth})`);
  if (!Array.isArray(ms) || typeof ms[0] !== 'number' || typeof ms[1] !== 'number')
    throw new Error(`the page answered ${String(ms)}, not two times`);
  return { total: ms[0], encode: ms[1] };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function summary(label: string, samples: readonly number[]): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  const p95 = percentile(sorted, 95);
  console.log(
    `${label.padEnd(34)} n=${sorted.length}  p50 ${p50.toFixed(0)} ms  p95 ${p95.toFixed(0)} ms  ` +
      `max ${(sorted.at(-1) ?? NaN).toFixed(0)} ms  p95/target ${(p95 / TARGET_MS).toFixed(2)}×`,
  );
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'cs-shutter-bench-'));
  const e2e = await startE2eStation({
    y4m: await makeClip(dir),
    config: { station: { aeTitle: 'BENCH1', name: 'Bench', department: 'general' } },
  });
  try {
    const page = await openStationPage(e2e);
    const camera = await page.getByTestId('camera-status').textContent();
    console.log(`camera: ${camera}`);
    if (!camera?.includes('1920×1080')) throw new Error('the fake camera is not delivering 1080p');
    await page.getByTestId('worklist-row').first().click();
    const total: number[] = [];
    const encode: number[] = [];
    const rest: number[] = [];
    for (let n = 1; n <= WARM_UP + SHUTTERS; n++) {
      const ms = await timeShutter(page, n);
      if (n <= WARM_UP) continue;
      total.push(ms.total);
      encode.push(ms.encode);
      rest.push(ms.total - ms.encode);
    }
    const jpegBase64: unknown = await page.evaluate(`(${FRAME_JPEG})()`);
    if (typeof jpegBase64 !== 'string') throw new Error('the page gave no JPEG');
    const [held] = await e2e.mode.station.handlers.listReview(undefined);
    const station: number[] = [];
    for (let n = 0; n < SHUTTERS; n++) station.push(await timeStation(e2e, held?.item, jpegBase64));
    const kib = Math.round((jpegBase64.length * 3) / 4 / 1024);
    console.log(
      `shutter → durable in the review store, 1080p, browser mode, target ${TARGET_MS} ms`,
    );
    summary('shutter to "In review" (total)', total);
    summary('of it: frame to base64 JPEG', encode);
    summary('of it: sent to "In review"', rest);
    summary(`of it: station, ${kib} KiB JPEG to durable`, station);
  } finally {
    await e2e.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
