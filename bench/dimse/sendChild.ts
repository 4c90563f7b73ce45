/**
 * Child process of store.bench.ts: sends files with the station's C-STORE SCU over one association
 * and prints seconds, CPU seconds (this process, threadpool included) and peak RSS as JSON, so the
 * numbers exclude the bench driver.
 *   jiti bench/dimse/sendChild.ts HOST PORT AET FILELIST_JSON [RECEIVE_MAX_PDU]
 */
import { readFile } from 'node:fs/promises';
import { sendFiles } from '../../main/core/dimse/sendFiles';

const [host, port, aet, listFile, receivePdu] = process.argv.slice(2);
if (!host || !port || !aet || !listFile)
  throw new Error('usage: sendChild HOST PORT AET FILELIST_JSON [RECEIVE_MAX_PDU]');
const baselineRssMiB = process.memoryUsage().rss / 1024 / 1024;
const files = JSON.parse(await readFile(listFile, 'utf8')) as string[];
const started = performance.now();
const cpuBefore = process.cpuUsage();
const results = await sendFiles(files, {
  peer: { host, port: Number(port), calledAeTitle: aet, callingAeTitle: 'BENCH' },
  maxPduLength: Number(receivePdu ?? 16384),
});
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const failed = results.filter((r) => !r.stored);
console.log(
  JSON.stringify({
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    stored: results.length - failed.length,
    failed: failed.slice(0, 3).map((r) => r.message),
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    baselineRssMiB,
  }),
);
