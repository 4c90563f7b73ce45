/**
 * Child process of remux.bench.ts: probes or prepares one video and prints timing and peak RSS as
 * JSON, so the measurement excludes the bench driver's own memory.
 *
 *   node prepareChild.mjs probe INPUT
 *   node prepareChild.mjs prepare INPUT WORKDIR
 */
import { prepareVideo, probeVideo } from '../../main/core/video';

const [mode, input, workDir] = process.argv.slice(2);
if (input === undefined || !(mode === 'probe' || (mode === 'prepare' && workDir !== undefined))) {
  throw new Error('usage: prepareChild probe INPUT | prepareChild prepare INPUT WORKDIR');
}
const started = performance.now();
const result =
  mode === 'probe'
    ? { method: 'probe', probe: await probeVideo(input) }
    : await prepareVideo(input, workDir ?? '');
const seconds = (performance.now() - started) / 1000;
const peakRssMiB = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify({ seconds, peakRssMiB, method: result.method, probe: result.probe }));
