// Runs one ffmpeg.wasm (@ffmpeg/core 0.12) command in a worker thread, so the caller stays
// responsive. Plain JavaScript because worker_threads load it directly from disk (no TS loader).
// Protocol (validated on the TypeScript side, reencodeVideo.ts):
//   in  workerData: { inputFile, inputName, outputFile, args: string[] }
//   out { type: 'log', line } | { type: 'done', code } | { type: 'failed', message }
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

// @ffmpeg/core is built for browsers and workers: it needs `self` and `location` (DOMAIN.md).
globalThis.self ??= globalThis;
globalThis.location ??= { href: import.meta.url };

const OUTPUT_NAME = '/output.mp4';

async function main() {
  const { inputFile, inputName, outputFile, args } = workerData;
  const require = createRequire(import.meta.url);
  const wasmBinary = await readFile(require.resolve('@ffmpeg/core/wasm'));
  const { default: createFFmpegCore } = await import('@ffmpeg/core');
  const core = await createFFmpegCore({ wasmBinary });
  core.setLogger(({ message }) => parentPort.postMessage({ type: 'log', line: message }));
  core.FS.writeFile(inputName, await readFile(inputFile));
  const code = core.exec('-i', inputName, ...args, OUTPUT_NAME);
  if (code === 0) await writeFile(outputFile, core.FS.readFile(OUTPUT_NAME), { flag: 'wx' });
  parentPort.postMessage({ type: 'done', code });
}

main().catch((error) => {
  parentPort.postMessage({
    type: 'failed',
    message: error instanceof Error ? error.message : String(error),
  });
});
