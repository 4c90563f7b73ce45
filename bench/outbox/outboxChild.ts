/**
 * One outbox run in its own process, so its peak RSS is its own: enqueue the listed files into a
 * fresh spool (durable copies), send them to one destination, print one JSON line.
 *
 *   jiti outboxChild.ts dimse <host> <port> <aet> <list.json>
 *   jiti outboxChild.ts stowrs <dicomWebUrl> <list.json>
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StationConfig } from '../../main/core/config/schema';
import { createOutbox } from '../../main/core/outbox/createOutbox';
import { OutboxSettings } from '../../main/core/outbox/outboxConfig';

function peakRssMiB(text: string): number {
  const kib = /VmHWM:\s+(\d+) kB/.exec(text)?.[1];
  return kib ? Number(kib) / 1024 : Number.NaN;
}

function destinationFrom(argv: string[]): { destination: object; list: string } {
  const [kind, ...rest] = argv;
  if (kind === 'dimse') {
    const [host, port, aet, list] = rest;
    return {
      destination: { type: 'dimse', host, port: Number(port), calledAeTitle: aet },
      list: list ?? '',
    };
  }
  const [url, list] = rest;
  return { destination: { type: 'stowrs', url }, list: list ?? '' };
}

const { destination, list } = destinationFrom(process.argv.slice(2));
const files = JSON.parse(await readFile(list, 'utf8')) as string[];
const home = await mkdtemp(join(tmpdir(), 'outbox-bench-'));
try {
  const outbox = await createOutbox({
    config: StationConfig.parse({ destinations: { target: destination } }),
    dataFolder: home,
    settings: OutboxSettings.parse({ retentionDays: 1, minFreeMegabytes: 0 }),
    recover: true,
  });
  const enqueueStart = performance.now();
  for (const file of files) await outbox.enqueue(file);
  const sendStart = performance.now();
  outbox.start();
  await outbox.whenSettled();
  const sendEnd = performance.now();
  await outbox.stop();
  const snapshot = outbox.snapshot();
  console.log(
    JSON.stringify({
      enqueueSeconds: (sendStart - enqueueStart) / 1000,
      sendSeconds: (sendEnd - sendStart) / 1000,
      finished: snapshot.items.length - snapshot.unsent,
      needsAttention: snapshot.needsAttention,
      text: snapshot.text,
      peakRssMiB: peakRssMiB(await readFile('/proc/self/status', 'utf8')),
    }),
  );
} finally {
  await rm(home, { recursive: true, force: true });
}
