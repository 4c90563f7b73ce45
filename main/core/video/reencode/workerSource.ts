/**
 * Source of the worker thread that runs one ffmpeg.wasm command. It is handed to
 * `new Worker(source, { eval: true })` rather than loaded from a file next to this module, because
 * the main-process bundle (electron-vite) would not carry such a file along; the paths of
 * @ffmpeg/core's JavaScript and wasm are resolved by the parent and passed in workerData.
 *
 * What it does, in order (ffmpeg.wasm facts from DOMAIN.md):
 * - shims `self` and `location`, which @ffmpeg/core (built for browsers/workers) expects;
 * - shims `FileReaderSync` with synchronous `fs.readSync` calls and mounts the input through
 *   Emscripten's WORKERFS, so the input is read on demand and never copied into the 2 GiB heap;
 * - runs ffmpeg, forwarding its log lines; writes the output from MEMFS to `outputFile`.
 *
 * workerData: { corePath, wasmPath, inputFile, inputName, outputFile, args: string[] }
 * messages:   { type: 'log', line } | { type: 'done', code } | { type: 'failed', message }
 */
export const FFMPEG_WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
globalThis.self = globalThis;
globalThis.location = { href: 'file:///' };

const { corePath, wasmPath, inputFile, inputName, outputFile, args } = workerData;
const INPUT_DIR = '/input';
const OUTPUT = '/output.mp4';

/** A Blob-like view of the input file for WORKERFS: slices read synchronously on demand. */
function fileSlice(fd, start, end) {
  return {
    size: end - start,
    slice: (from = 0, to = end - start) => fileSlice(fd, start + from, Math.min(end, start + to)),
    read() {
      const bytes = new Uint8Array(end - start);
      let done = 0;
      while (done < bytes.length) {
        const n = fs.readSync(fd, bytes, done, bytes.length - done, start + done);
        if (n === 0) break;
        done += n;
      }
      return bytes.buffer;
    },
  };
}
globalThis.FileReaderSync = class {
  readAsArrayBuffer(slice) {
    return slice.read();
  }
};

async function main() {
  const createFFmpegCore = require(corePath);
  const core = await createFFmpegCore({ wasmBinary: fs.readFileSync(wasmPath) });
  core.setLogger(({ message }) => parentPort.postMessage({ type: 'log', line: message }));
  const fd = fs.openSync(inputFile, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    core.FS.mkdir(INPUT_DIR);
    core.FS.mount(core.FS.filesystems.WORKERFS, { blobs: [{ name: inputName, data: fileSlice(fd, 0, size) }] }, INPUT_DIR);
    const code = core.exec('-i', INPUT_DIR + '/' + inputName, ...args, OUTPUT);
    if (code === 0) fs.writeFileSync(outputFile, core.FS.readFile(OUTPUT), { flag: 'wx' });
    parentPort.postMessage({ type: 'done', code });
  } finally {
    fs.closeSync(fd);
  }
}

main().catch((error) => {
  parentPort.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
});
`;
