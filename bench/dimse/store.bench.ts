/**
 * Benchmark (not part of the test run): the station's C-STORE SCU against DCMTK storescu, same
 * machine, same run, same kind of files, page cache warm for both.
 *
 *   npx jiti bench/dimse/store.bench.ts     (BENCH_COUNT=500, BENCH_HUGE_MIB=2048, BENCH_DIR=/tmp/…)
 *
 * Issue 4 asks: 500 × 512 KB to Orthanc (both sides TCP_NODELAY) in ≤ 1.0× storescu's time;
 * ≥ 300 images/s to `storescp --ignore`; a 2 GB instance sent with peak RSS ≤ 100 MB.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { mkdir } from 'node:fs/promises';
import { canConnect, freePort, resolveTool, startOrthanc } from '../../test/services';
import { spawnService, waitUntilReady } from '../../test/services/serviceProcess';
import { makeHugeInstance, makeImages } from './benchFiles';

const run = promisify(execFile);
const COUNT = Number(process.env.BENCH_COUNT ?? 500);
const HUGE_MIB = Number(process.env.BENCH_HUGE_MIB ?? 2048);
const DIR = process.env.BENCH_DIR ?? join(tmpdir(), 'capture-station-dimse-bench');
const NODELAY_ENV = { ...process.env, TCP_NODELAY: '1' };

interface ChildResult {
  seconds: number;
  baselineRssMiB: number;
  stored: number;
  failed: string[];
  peakRssMiB: number;
}

async function ours(
  port: number,
  aet: string,
  files: string[],
  label: string,
): Promise<ChildResult> {
  const list = join(DIR, `${label}.json`);
  await writeFile(list, JSON.stringify(files));
  const child = join(import.meta.dirname, 'sendChild.ts');
  const { stdout } = await run('npx', ['jiti', child, '127.0.0.1', String(port), aet, list], {
    maxBuffer: 1 << 24,
  });
  const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ChildResult;
  if (result.stored !== files.length)
    throw new Error(`${label}: only ${result.stored} stored: ${result.failed.join('; ')}`);
  return result;
}

/** DCMTK storescu, Nagle off (it reads TCP_NODELAY from the environment), one association. */
async function storescu(port: number, aet: string, dir: string): Promise<number> {
  const started = performance.now();
  await run(
    'storescu',
    ['-aet', 'BENCH', '-aec', aet, '-pdu', '131072', '+sd', '+r', '127.0.0.1', String(port), dir],
    {
      env: NODELAY_ENV,
      maxBuffer: 1 << 24,
    },
  );
  return (performance.now() - started) / 1000;
}

const fmt = (n: number, digits = 2) => n.toFixed(digits);

/**
 * storescp --ignore with Nagle off (TCP_NODELAY=1, as DOMAIN.md measured): the rig's storescp
 * leaves Nagle on, which caps any sender near 20 images/s on this machine.
 */
async function startSink(): Promise<{ port: number; aet: string; stop(): Promise<void> }> {
  const port = await freePort();
  await mkdir(DIR, { recursive: true });
  const service = spawnService({
    name: 'storescp-sink',
    command: resolveTool('storescp', 'dcmtk'),
    args: ['--ignore', '-aet', 'SINK', '-pdu', '131072', String(port)],
    logFile: join(DIR, 'sink.log'),
    env: { TCP_NODELAY: '1' },
  });
  await waitUntilReady(service, () => canConnect(port), 10_000);
  return { port, aet: 'SINK', stop: () => service.stop() };
}

/**
 * Two rounds on a fresh Orthanc each, order swapped between rounds (this machine is shared, so
 * load and Orthanc's growing index would otherwise favour whoever goes first); best of each.
 */
async function toOrthanc(): Promise<void> {
  const sets = [join(DIR, 'a'), join(DIR, 'b')] as const;
  const files = [await makeImages(sets[0], '1', COUNT), await makeImages(sets[1], '2', COUNT)];
  const dcmtkTimes: number[] = [];
  const stationTimes: number[] = [];
  let peakRss = 0;
  for (const round of [0, 1]) {
    const orthanc = await startOrthanc();
    try {
      const runDcmtk = async (set: number) =>
        dcmtkTimes.push(await storescu(orthanc.dicomPort, orthanc.aet, sets[set] ?? ''));
      const runStation = async (set: number) => {
        const result = await ours(
          orthanc.dicomPort,
          orthanc.aet,
          files[set] ?? [],
          `orthanc-${round}`,
        );
        stationTimes.push(result.seconds);
        peakRss = Math.max(peakRss, result.peakRssMiB);
      };
      if (round === 0) {
        await runDcmtk(0);
        await runStation(1);
      } else {
        await runStation(0);
        await runDcmtk(1);
      }
    } finally {
      await orthanc.stop();
    }
  }
  const dcmtk = Math.min(...dcmtkTimes);
  const station = Math.min(...stationTimes);
  console.log(
    `Orthanc, ${COUNT} × 512 KiB (best of 2): storescu ${fmt(dcmtk)} s [${dcmtkTimes.map((t) => fmt(t)).join(', ')}], ` +
      `station ${fmt(station)} s [${stationTimes.map((t) => fmt(t)).join(', ')}], ratio ${fmt(station / dcmtk)}× ` +
      `(goal ≤ 1.0×), station peak RSS ${fmt(peakRss, 0)} MiB`,
  );
}

async function toIgnoringStorescp(): Promise<void> {
  const files = await makeImages(join(DIR, 'a'), '1', COUNT);
  const sink = await startSink();
  try {
    const dcmtk = await storescu(sink.port, sink.aet, join(DIR, 'a'));
    const station = await ours(sink.port, sink.aet, files, 'ignore');
    console.log(
      `storescp --ignore, ${COUNT} × 512 KiB: storescu ${fmt(COUNT / dcmtk, 0)} img/s, ` +
        `station ${fmt(COUNT / station.seconds, 0)} img/s (goal ≥ 300), ratio ${fmt(station.seconds / dcmtk)}×`,
    );
  } finally {
    await sink.stop();
  }
}

async function hugeInstance(): Promise<void> {
  const file = await makeHugeInstance(join(DIR, `huge-${HUGE_MIB}.dcm`), HUGE_MIB * 1024 * 1024);
  const sink = await startSink();
  try {
    const station = await ours(sink.port, sink.aet, [file], 'huge');
    console.log(
      `${HUGE_MIB} MiB instance to storescp --ignore: ${fmt(station.seconds)} s ` +
        `(${fmt(HUGE_MIB / station.seconds, 0)} MiB/s), peak RSS ${fmt(station.peakRssMiB, 0)} MiB (goal ≤ 100; ` +
        `${fmt(station.baselineRssMiB, 0)} MiB of it is node + jiti before sending)`,
    );
  } finally {
    await sink.stop();
  }
}

await toOrthanc();
await toIgnoringStorescp();
await hugeInstance();
