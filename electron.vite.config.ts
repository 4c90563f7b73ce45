import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

/**
 * One build for the three runtimes (ARCHITECTURE.md):
 * - main: the Electron entry plus the Electron-free entries (CLI, browser-mode server, launcher,
 *   the import's worker thread), all plain Node bundles in out/main/;
 * - preload: one self-contained CommonJS file, the only form a sandboxed renderer can load;
 * - renderer: the React app in out/renderer/, shared by Electron and browser mode.
 */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve('main/index.ts'),
          cli: resolve('main/cli.ts'),
          serve: resolve('main/serve/start.ts'),
          launch: resolve('main/launch.ts'),
          // A worker thread's script: found next to the entries (media-import/mediaWorker.ts).
          mediaWorker: resolve('main/core/media-import/mediaWorkerThread.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // Bundle zod and the contract into the file: a sandboxed preload cannot require node_modules.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
    plugins: [react()],
  },
});
