/**
 * Benchmark (not part of the test run), issue 7: 500 instances through the outbox to Orthanc vs
 * DCMTK storescu in the same run (goal ≤ 1.2×), and STOW-RS of a 2 GB instance with peak RSS
 * ≤ 150 MB.
 *
 *   npx jiti bench/outbox/outbox.bench.ts   (BENCH_COUNT=500, BENCH_HUGE_MIB=2048, BENCH_DIR=/tmp/…)
 *
 * Each side gets a fresh Orthanc (TCP_NODELAY=1, as DOMAIN.md measured) and its own set of UIDs.
 * The outbox's time is the sending (from start to every item recorded as delivered, each result
 * fsynced to the spool); enqueueing — a durable copy of each file before "saved" — is printed
 * apart, since storescu has no counterpart for it.
 */
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startOrthanc } from '../../test/services';
import { makeHugeInstance, makeImages } from '../dimse/benchFiles';

const run = promisify(execFile);
const COUNT = Number(process.env.BENCH_COUNT ?? 500);
const HUGE_MIB = Number(process.env.BENCH_HUGE_MIB ?? 2048);
const DIR = process.env.BENCH_DIR ?? join(tmpdir(), 'capture-station-outbox-bench');
const CHILD = join(import.meta.dirname, 'outboxChild.ts');

interface ChildResult {
  enqueueSeconds: number;
  sendSeconds: number;
  finished: number;
  needsAttention: number;
  text: string;
  peakRssMiB: number;
}

const fmt = (n: number, digits = 2) => n.toFixed(digits);

async function outboxRun(args: string[], files: string[], label: string): Promise<ChildResult> {
  const list = join(DIR, `${label}.json`);
  await writeFile(list, JSON.stringify(files));
  const { stdout } = await run('npx', ['jiti', CHILD, ...args, list], { maxBuffer: 1 << 24 });
  const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ChildResult;
  if (result.finished !== files.length) throw new Error(`${label}: ${result.text}`);
  return result;
}

async function storescu(port: number, aet: string, dir: string): Promise<number> {
  const started = performance.now();
  await run(
    'storescu',
    ['-aet', 'BENCH', '-aec', aet, '-pdu', '131072', '+sd', '+r', '127.0.0.1', String(port), dir],
    { env: { ...process.env, TCP_NODELAY: '1' }, maxBuffer: 1 << 24 },
  );
  return (performance.now() - started) / 1000;
}

async function dimseVersusStorescu(): Promise<void> {
  await makeImages(join(DIR, 'a'), '71', COUNT);
  const setB = await makeImages(join(DIR, 'b'), '72', COUNT);
  const forDcmtk = await startOrthanc();
  const forOutbox = await startOrthanc();
  try {
    const dcmtk = await storescu(forDcmtk.dicomPort, forDcmtk.aet, join(DIR, 'a'));
    const args = ['dimse', '127.0.0.1', String(forOutbox.dicomPort), forOutbox.aet];
    const outbox = await outboxRun(args, setB, 'dimse');
    console.log(
      `Orthanc, ${COUNT} × 512 KiB: storescu ${fmt(dcmtk)} s, outbox sending ${fmt(outbox.sendSeconds)} s, ` +
        `ratio ${fmt(outbox.sendSeconds / dcmtk)}× (goal ≤ 1.2×); enqueue (durable spool copies) ` +
        `${fmt(outbox.enqueueSeconds)} s; peak RSS ${fmt(outbox.peakRssMiB, 0)} MiB`,
    );
  } finally {
    await forDcmtk.stop();
    await forOutbox.stop();
  }
}

async function hugeStow(): Promise<void> {
  const file = await makeHugeInstance(join(DIR, `huge-${HUGE_MIB}.dcm`), HUGE_MIB * 1024 * 1024);
  const orthanc = await startOrthanc();
  try {
    const result = await outboxRun(['stowrs', orthanc.dicomWebUrl], [file], 'stow');
    console.log(
      `STOW-RS of a ${HUGE_MIB} MiB instance to Orthanc through the outbox: enqueue ${fmt(result.enqueueSeconds)} s, ` +
        `send ${fmt(result.sendSeconds)} s, peak RSS ${fmt(result.peakRssMiB, 0)} MiB (goal ≤ 150)`,
    );
  } finally {
    await orthanc.stop();
    await rm(file, { force: true });
  }
}

await mkdir(DIR, { recursive: true });
await dimseVersusStorescu();
if (HUGE_MIB > 0) await hugeStow();
