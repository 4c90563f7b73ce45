/**
 * The station's side of the import bench, in its own process (its own CPU profile and peak RSS):
 * a fresh outbox sending to one DIMSE peer is started, the disc is imported with coercion into it
 * (importMedia, `deliver` = enqueue with move, as `capture-station import` does), and the clock
 * stops once the outbox has recorded every instance as delivered. Prints one JSON line.
 *
 *   node out/bench/importChild.js <disc> <home> <host> <port> <aet> <associations> [inFlight]
 *   (import.bench.ts bundles it there first; `jiti importChild.ts …` runs it unbundled)
 *
 * inFlight: instances importMedia coerces at once (0 or absent: its default).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StationConfig } from '../../main/core/config/schema';
import type { Part10Info } from '../../main/core/dimse/part10';
import { importMedia } from '../../main/core/media-import';
import { createOutbox } from '../../main/core/outbox/createOutbox';
import { OutboxSettings } from '../../main/core/outbox/outboxConfig';
import { LOCAL_PATIENT } from './localPatient';

function peakRssMiB(text: string): number {
  const kib = /VmHWM:\s+(\d+) kB/.exec(text)?.[1];
  return kib ? Number(kib) / 1024 : Number.NaN;
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

const [disc = '', home = '', host = '', port = '', aet = '', associations = '4', inFlight = '0'] =
  process.argv.slice(2);
const started = performance.now();
const cpuAtStart = process.cpuUsage();
const outbox = await createOutbox({
  config: StationConfig.parse({
    destinations: {
      pacs: {
        type: 'dimse',
        host,
        port: Number(port),
        calledAeTitle: aet,
        concurrency: Number(associations),
      },
    },
  }),
  dataFolder: home,
  settings: OutboxSettings.parse({ retentionDays: 1, minFreeMegabytes: 0 }),
  recover: true,
});
outbox.start();
// Wall time with at least one enqueue pending (enqueues overlap now: a plain sum would count
// the same milliseconds several times).
let enqueueMs = 0;
let pending = 0;
let pendingSince = 0;
const options = {
  patient: LOCAL_PATIENT,
  modifyingSystem: 'BENCH_STATION',
  workFolder: join(home, 'import'),
  acceptMismatch: true,
  // As the app's import does (MediaImportService): the disc's kinds are proposed from the start.
  announce: (kinds: readonly { sopClassUid: string; transferSyntaxUid: string }[]) =>
    outbox.expectKinds(kinds, ['pacs']),
  ...(Number(inFlight) > 0 ? { inFlight: Number(inFlight) } : {}),
  deliver: async (file: string, part10: Part10Info) => {
    if (pending++ === 0) pendingSince = performance.now();
    try {
      // As `capture-station import` does: what the coercion wrote is not read again.
      return (await outbox.enqueue(file, { destinations: ['pacs'], mode: 'move', part10 })).jobId;
    } finally {
      if (--pending === 0) enqueueMs += performance.now() - pendingSince;
    }
  },
};
const report = await importMedia(disc, options).then((r) => ({
  imported: r.imported.length,
  skipped: r.skipped.map((s) => `${s.path}: ${s.reason}`),
}));
const imported = performance.now();
await outbox.whenSettled();
const settled = performance.now();
await outbox.stop();
const snapshot = outbox.snapshot();
console.log(
  JSON.stringify({
    seconds: (settled - started) / 1000,
    importSeconds: (imported - started) / 1000,
    /** Of importSeconds, the time with an enqueue pending (durable spooling). */
    enqueueSeconds: enqueueMs / 1000,
    imported: report.imported,
    skipped: report.skipped,
    delivered: snapshot.items.length - snapshot.unsent,
    needsAttention: snapshot.needsAttention,
    text: snapshot.text,
    peakRssMiB: peakRssMiB(await readFile('/proc/self/status', 'utf8')),
    /** CPU this process used (user + system), seconds: with two cores shared with Orthanc. */
    cpuSeconds: cpuSince(cpuAtStart),
  }),
);
