/**
 * Benchmark (not a test): wrap a large MP4 as a Video Photographic instance and compare with `cp`
 * of the same file on the same disk. Prints peak RSS of the wrapping process and the speed ratio.
 *
 *   npx vite build --ssr bench/dicom/wrapLargeVideo.ts --outDir out/bench \
 *     && node out/bench/wrapLargeVideo.js [sizeMiB=2048]
 *
 * The input is a real 2 s H.264 High clip (native ffmpeg, moov first) followed by a `free` box of
 * filler (ISO/IEC 14496-12 8.1.2), so prepareVideo probes and admits it like a camera recording.
 * The wrap runs in a child process (the real wrapCapture + prepareVideo, as the CLI does) that
 * reports its own peak RSS (VmHWM). Two wraps are timed: as `capture-station wrap` runs (atomic,
 * flushed by the OS like `cp`'s copy), against `cp`; and with `--sync` (fsynced, as the station's
 * captures are before the review copy goes), against `cp` + `sync FILE`.
 */
import { execFile } from 'node:child_process';
import { open, readFile, rm, mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { wrapCapture } from '../../main/core/dicom/wrapCapture';
import {
  benchVideoContext,
  list,
  median,
  peakRssMiB,
  rotated,
  runSelfAsChild,
  settle,
  timed,
} from '../support/measure';
import { prepareVideo } from '../../main/core/video/prepareVideo';

const run = promisify(execFile);
const MiB = 1024 * 1024;
const FILLER_CHUNK = 8 * MiB;

async function makeLargeMp4(file: string, sizeMiB: number): Promise<number> {
  const clip = `${file}.clip.mp4`;
  await run('ffmpeg', [
    ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=1280x720:rate=30', '-t', '2'],
    ...['-c:v', 'libx264', '-profile:v', 'high', '-level', '4.1', '-pix_fmt', 'yuv420p'],
    ...['-movflags', '+faststart', clip],
  ]);
  const head = await readFile(clip);
  await rm(clip);
  const filler = Math.max(0, sizeMiB * MiB - head.length - 16);
  const box = Buffer.alloc(16);
  box.writeUInt32BE(1, 0); // size 1: a 64-bit largesize follows the type
  box.write('free', 4, 'latin1');
  box.writeBigUInt64BE(BigInt(16 + filler), 8);
  const out = await open(file, 'w');
  try {
    await out.write(Buffer.concat([head, box]));
    const chunk = Buffer.alloc(FILLER_CHUNK);
    for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 2654435761) >>> 24;
    for (let left = filler; left > 0; left -= chunk.length) {
      await out.write(chunk, 0, Math.min(chunk.length, left));
    }
  } finally {
    await out.close();
  }
  return (await stat(file)).size;
}

interface ChildReport {
  seconds: number;
  prepareSeconds: number;
  copiedSeconds: number;
  peakRssMiB: number;
}

/** Child mode: wrap once, print {seconds, peakRssMiB} as JSON. */
async function child(input: string, output: string, sync: boolean): Promise<void> {
  const context = benchVideoContext('video');
  const start = performance.now();
  let prepareSeconds = 0;
  let copiedSeconds = 0;
  await wrapCapture({
    input,
    kind: 'video-photo',
    context,
    output,
    sync,
    onProgress: (fraction) => {
      if (fraction >= 1) copiedSeconds = (performance.now() - start) / 1000;
    },
    prepareVideo: async (file, workDir, options) => {
      const prepared = await prepareVideo(file, workDir, options);
      prepareSeconds = (performance.now() - start) / 1000;
      return prepared;
    },
  });
  const seconds = (performance.now() - start) / 1000;
  const report = { seconds, prepareSeconds, copiedSeconds, peakRssMiB: await peakRssMiB() };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

/** `node out/bench/wrapLargeVideo.js [sizeMiB] [rounds]`; 5 rounds by default (shared machine). */
const ROUNDS = Number(process.argv[3] ?? 5);

/**
 * One round: cp, cp + sync and wrap, the starting one rotating from round to round so neither
 * always runs first after the input was read, and load from other processes hits all three alike.
 */
interface Round {
  cp: number;
  cpSync: number;
  wrap: ChildReport;
  wrapSync: ChildReport;
}

async function round(dir: string, input: string, index: number): Promise<Round> {
  const copy = join(dir, 'copy.mp4');
  const output = join(dir, 'large.dcm');
  let cp = NaN;
  let cpSync = NaN;
  let wrap: ChildReport | undefined;
  let wrapSync: ChildReport | undefined;
  const steps = [
    async () => (cp = await timed('cp', [input, copy])),
    async () => (cpSync = await timed('sh', ['-c', 'cp "$0" "$1" && sync "$1"', input, copy])),
    async () => (wrap = await runSelfAsChild<ChildReport>([input, output, 'atomic'], 'wrap')),
    async () => (wrapSync = await runSelfAsChild<ChildReport>([input, output, 'sync'], 'wrap')),
  ];
  await rotated(index, steps, [copy, output], { folder: dir, bytes: (await stat(input)).size });
  if (!wrap || !wrapSync) throw new Error('the wrap did not run');
  return { cp, cpSync, wrap, wrapSync };
}

const MiBps = (bytes: number, seconds: number) => (bytes / MiB / seconds).toFixed(0);

function line(label: string, values: number[], bytes: number): number {
  const m = median(values);
  console.log(
    `${label.padEnd(15)} median ${m.toFixed(2)} s (${MiBps(bytes, m)} MiB/s) [${list(values)}]`,
  );
  return m;
}

/** Medians, the per-round ratios (same moment, same load) and the best rounds (capability). */
function report(rounds: readonly Round[], bytes: number): void {
  const cp = line(
    'cp:',
    rounds.map((r) => r.cp),
    bytes,
  );
  const cpSync = line(
    'cp + sync:',
    rounds.map((r) => r.cpSync),
    bytes,
  );
  const wrap = line(
    'wrap:',
    rounds.map((r) => r.wrap.seconds),
    bytes,
  );
  const wrapSync = line(
    'wrap --sync:',
    rounds.map((r) => r.wrapSync.seconds),
    bytes,
  );
  const prepare = median(rounds.map((r) => r.wrap.prepareSeconds));
  const copied = median(rounds.map((r) => r.wrap.copiedSeconds));
  console.log(
    `  wrap: prepareVideo (probe + link) ${prepare.toFixed(2)} s, bulk copied after ${copied.toFixed(2)} s`,
  );
  const rss = Math.max(...rounds.flatMap((r) => [r.wrap.peakRssMiB, r.wrapSync.peakRssMiB]));
  console.log(`peak RSS of the wrapping process: ${rss.toFixed(0)} MiB (target < 150)`);
  const paired = (ours: (r: Round) => number, theirs: (r: Round) => number) =>
    median(rounds.map((r) => theirs(r) / ours(r))).toFixed(2);
  const best = (values: number[]) => Math.min(...values);
  const bestRatio = (ours: (r: Round) => number, theirs: (r: Round) => number) =>
    (best(rounds.map(theirs)) / best(rounds.map(ours))).toFixed(2);
  // Issue 3's target: wrap at ≥ 0.8× the speed of cp. Like for like: neither flushes.
  const w = (r: Round) => r.wrap.seconds;
  console.log(
    `speed ratio wrap vs cp:               ${(cp / wrap).toFixed(2)}× (issue 3 target ≥ 0.8; ` +
      `per-round median ${paired(w, (r) => r.cp)}×, best ${bestRatio(w, (r) => r.cp)}×)`,
  );
  const ws = (r: Round) => r.wrapSync.seconds;
  console.log(
    `speed ratio wrap --sync vs cp + sync: ${(cpSync / wrapSync).toFixed(2)}× ` +
      `(per-round median ${paired(ws, (r) => r.cpSync)}×, best ${bestRatio(ws, (r) => r.cpSync)}×)`,
  );
}

async function main(): Promise<void> {
  const sizeMiB = Number(process.argv[2] ?? 2048);
  const dir = await mkdtemp(join(tmpdir(), 'bench-wrap-'));
  try {
    const input = join(dir, 'large.mp4');
    const bytes = await makeLargeMp4(input, sizeMiB);
    console.log(
      `input: ${(bytes / MiB).toFixed(0)} MiB progressive MP4 in ${dir}; ${ROUNDS} rounds`,
    );
    await timed('cp', [input, join(dir, 'warm.mp4')]); // warm the page cache for both sides
    await settle(join(dir, 'warm.mp4'));
    const rounds: Round[] = [];
    for (let i = 0; i < ROUNDS; i++) rounds.push(await round(dir, input, i));
    report(rounds, bytes);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  void child(process.argv[3] ?? '', process.argv[4] ?? '', process.argv[5] === 'sync').catch(
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
} else {
  void main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
