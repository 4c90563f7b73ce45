/**
 * Child process of remux.bench.ts: prepares one video and prints timing and peak RSS as JSON, so
 * the measurement excludes the bench driver's own memory.
 */
import { prepareVideo } from '../../main/core/video';

const [input, workDir] = process.argv.slice(2);
if (input === undefined || workDir === undefined)
  throw new Error('usage: prepareChild INPUT WORKDIR');
const started = performance.now();
const prepared = await prepareVideo(input, workDir);
const seconds = (performance.now() - started) / 1000;
const peakRssMiB = process.resourceUsage().maxRSS / 1024;
console.log(
  JSON.stringify({
    seconds,
    peakRssMiB,
    method: prepared.method,
    file: prepared.file,
    probe: prepared.probe,
  }),
);
