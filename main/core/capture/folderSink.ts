import { mkdir, open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { CaptureSink } from './CaptureService';

/**
 * Keeps each finished instance in `folder` (fsync, then an atomic rename named by its SOP
 * Instance UID): durable before the UI says "saved". Used until a destination queue takes over.
 */
export function folderSink(folder: string): CaptureSink {
  return async (file, capture) => {
    await mkdir(folder, { recursive: true });
    const handle = await open(file, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(file, join(folder, `${capture.sopInstanceUid}.dcm`));
    const dir = await open(folder, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  };
}
