/**
 * The station's side of the import bench, in its own process (its own CPU profile and peak RSS):
 * a fresh outbox sending to one DIMSE peer is started, the disc is imported with coercion into it
 * (importMedia, `deliver` = enqueue with move, as `capture-station import` does), and the clock
 * stops once the outbox has recorded every instance as delivered. Prints one JSON line.
 *
 *   jiti importChild.ts <disc> <home> <host> <port> <aet> <associations> [importWorkers]
 *
 * importWorkers > 1 runs the prototype of a concurrent importMedia (pipelinedImport.ts) instead
 * of the station's importMedia: a measurement for a proposed change, not the station's path.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StationConfig } from '../../main/core/config/schema';
import { importMedia } from '../../main/core/media-import';
import { createOutbox } from '../../main/core/outbox/createOutbox';
import { OutboxSettings } from '../../main/core/outbox/outboxConfig';
import { LOCAL_PATIENT } from './localPatient';
import { importWithWorkers } from './pipelinedImport';

function peakRssMiB(text: string): number {
  const kib = /VmHWM:\s+(\d+) kB/.exec(text)?.[1];
  return kib ? Number(kib) / 1024 : Number.NaN;
}

const [disc = '', home = '', host = '', port = '', aet = '', associations = '4', workers = '1'] =
  process.argv.slice(2);
const started = performance.now();
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
let enqueueMs = 0;
const options = {
  patient: LOCAL_PATIENT,
  modifyingSystem: 'BENCH_STATION',
  workFolder: join(home, 'import'),
  acceptMismatch: true,
  deliver: async (file: string) => {
    const t = performance.now();
    const { jobId } = await outbox.enqueue(file, { destinations: ['pacs'], mode: 'move' });
    enqueueMs += performance.now() - t;
    return jobId;
  },
};
const report =
  Number(workers) > 1
    ? await importWithWorkers(disc, options, Number(workers))
    : await importMedia(disc, options).then((r) => ({
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
    /** Of importSeconds, the time spent in the outbox's enqueue (durable spooling). */
    enqueueSeconds: enqueueMs / 1000,
    imported: report.imported,
    skipped: report.skipped,
    delivered: snapshot.items.length - snapshot.unsent,
    needsAttention: snapshot.needsAttention,
    text: snapshot.text,
    peakRssMiB: peakRssMiB(await readFile('/proc/self/status', 'utf8')),
  }),
);
