/**
 * Child process of store.bench.ts: sends files with the station's C-STORE SCU and prints seconds
 * and peak RSS as JSON, so the numbers exclude the bench driver.
 *   jiti bench/dimse/sendChild.ts HOST PORT AET FILELIST_JSON
 */
import { readFile } from 'node:fs/promises';
import { sendFiles } from '../../main/core/dimse/sendFiles';

const [host, port, aet, listFile] = process.argv.slice(2);
if (!host || !port || !aet || !listFile)
  throw new Error('usage: sendChild HOST PORT AET FILELIST_JSON');
const baselineRssMiB = process.memoryUsage().rss / 1024 / 1024;
const files = JSON.parse(await readFile(listFile, 'utf8')) as string[];
const started = performance.now();
const results = await sendFiles(files, {
  peer: { host, port: Number(port), calledAeTitle: aet, callingAeTitle: 'BENCH' },
  maxPduLength: 1024 * 1024,
});
const seconds = (performance.now() - started) / 1000;
const failed = results.filter((r) => !r.stored);
console.log(
  JSON.stringify({
    seconds,
    stored: results.length - failed.length,
    failed: failed.slice(0, 3).map((r) => r.message),
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    baselineRssMiB,
  }),
);
