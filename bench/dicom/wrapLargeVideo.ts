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
 * reports its own peak RSS (VmHWM). wrap ends with fsync (durable before "saved"); plain cp does
 * not, so the ratio is printed against both `cp` and `cp` + `sync FILE`.
 */
import { execFile } from 'node:child_process';
import { open, readFile, rm, mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { wrapCapture } from '../../main/core/dicom/wrapCapture';
import {
  list,
  median,
  peakRssMiB,
  rotated,
  runSelfAsChild,
  settle,
  timed,
} from '../support/measure';
import { prepareVideo } from '../../main/core/video/prepareVideo';
import { CaptureSession } from '../../main/core/dicom/session';
import { stationEquipment } from '../../main/core/dicom/equipment';

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
async function child(input: string, output: string): Promise<void> {
  const session = new CaptureSession({
    patient: { name: { alphabetic: 'Bench^Mark' }, id: 'BENCH' },
    equipment: stationEquipment({ name: 'BENCH', aeTitle: 'BENCH' }),
  });
  const context = session.next({
    seriesKey: 'video',
    capturedAt: new Date(),
    region: { code: '69695003' },
  });
  const start = performance.now();
  let prepareSeconds = 0;
  let copiedSeconds = 0;
  await wrapCapture({
    input,
    kind: 'video-photo',
    context,
    output,
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
}

async function round(dir: string, input: string, index: number): Promise<Round> {
  const copy = join(dir, 'copy.mp4');
  const output = join(dir, 'large.dcm');
  let cp = NaN;
  let cpSync = NaN;
  let wrap: ChildReport | undefined;
  const steps = [
    async () => (cp = await timed('cp', [input, copy])),
    async () => (cpSync = await timed('sh', ['-c', 'cp "$0" "$1" && sync "$1"', input, copy])),
    async () => (wrap = await runSelfAsChild<ChildReport>([input, output], 'wrap')),
  ];
  await rotated(index, steps, [copy, output]);
  if (!wrap) throw new Error('the wrap did not run');
  return { cp, cpSync, wrap };
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
    const cp = median(rounds.map((r) => r.cp));
    const cpSync = median(rounds.map((r) => r.cpSync));
    const wrap = median(rounds.map((r) => r.wrap.seconds));
    const prepare = median(rounds.map((r) => r.wrap.prepareSeconds));
    const copied = median(rounds.map((r) => r.wrap.copiedSeconds));
    const rss = Math.max(...rounds.map((r) => r.wrap.peakRssMiB));
    const mbps = (s: number) => (bytes / MiB / s).toFixed(0);
    console.log(
      `cp:            median ${cp.toFixed(2)} s (${mbps(cp)} MiB/s) [${list(rounds.map((r) => r.cp))}]`,
    );
    console.log(
      `cp + sync:     median ${cpSync.toFixed(2)} s (${mbps(cpSync)} MiB/s) [${list(rounds.map((r) => r.cpSync))}]`,
    );
    console.log(
      `wrap (+fsync): median ${wrap.toFixed(2)} s (${mbps(wrap)} MiB/s) [${list(rounds.map((r) => r.wrap.seconds))}]`,
    );
    console.log(`  of which prepareVideo (probe + link): ${prepare.toFixed(2)} s`);
    console.log(`  bulk copied after ${copied.toFixed(2)} s; the rest is fsync, rename, cleanup`);
    console.log(`peak RSS of the wrapping process: ${rss.toFixed(0)} MiB (target < 150)`);
    // Issue 3's target is against plain `cp` (its words); wrap also makes the file durable, which
    // plain cp does not, so the ratio against `cp` + `sync` is printed beside it.
    console.log(`speed ratio vs cp:        ${(cp / wrap).toFixed(2)}× (issue 3 target ≥ 0.8)`);
    console.log(`speed ratio vs cp + sync: ${(cpSync / wrap).toFixed(2)}×`);
    // A durable copy must also write every byte to disk: it cannot finish before the disk has
    // (≈ cp + sync − cp here), so against plain cp no durable writer can beat this ceiling.
    const ceiling = cp / Math.max(cp, cpSync - cp);
    console.log(`ceiling for any fsynced copy vs cp: ${ceiling.toFixed(2)}× (cp / max(cp, sync))`);
    // Ratios within each round (same moment, same load), then their median.
    const paired = (side: (r: Round) => number) =>
      median(rounds.map((r) => side(r) / r.wrap.seconds)).toFixed(2);
    console.log(
      `median of per-round ratios: vs cp ${paired((r) => r.cp)}×, vs cp + sync ${paired((r) => r.cpSync)}×`,
    );
    // On a shared machine the medians carry other processes' load; the best rounds show capability.
    const best = (values: number[]) => Math.min(...values);
    const bestWrap = best(rounds.map((r) => r.wrap.seconds));
    console.log(
      `best-of-${ROUNDS} ratio vs cp: ${(best(rounds.map((r) => r.cp)) / bestWrap).toFixed(2)}×, ` +
        `vs cp + sync: ${(best(rounds.map((r) => r.cpSync)) / bestWrap).toFixed(2)}×`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  void child(process.argv[3] ?? '', process.argv[4] ?? '').catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
} else {
  void main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
