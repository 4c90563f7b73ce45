/**
 * Browsing reads headers only and coercion streams the pixel data: with a 48 MiB instance the reader
 * reads at most its first 64 KiB, and coercion holds no more than a few MiB of buffers at once.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { coerceInstance } from '../../../main/core/media-import/coerceInstance';
import { readMedia } from '../../../main/core/media-import/readMedia';
import type { OpenFile } from '../../../main/core/media-import/types';
import { buildPart10 } from './buildPart10';

const work = mkdtempSync(join(tmpdir(), 'large-unit-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const PIXELS = 48 * 1024 * 1024;

/** An opener whose handles count the bytes read through them. */
function countingOpener(): { openFile: OpenFile; bytesRead: () => number } {
  let total = 0;
  const openFile: OpenFile = async (path) => {
    const handle = await open(path, 'r');
    const read = handle.read.bind(handle) as (...args: unknown[]) => Promise<{ bytesRead: number }>;
    Object.assign(handle, {
      read: async (...args: unknown[]) => {
        const result = await read(...args);
        total += result.bytesRead;
        return result;
      },
    });
    return handle;
  };
  return { openFile, bytesRead: () => total };
}

describe('a 48 MiB instance', () => {
  const disc = join(work, 'disc');
  const source = join(disc, 'IMG');
  const pixels = Buffer.alloc(PIXELS, 0x5a);
  pixels.writeUInt32LE(0xdeadbeef, PIXELS - 4);
  mkdirSync(disc);
  writeFileSync(
    source,
    buildPart10({
      sopInstanceUid: '1.2.826.0.1.3680043.2.1143.5.1',
      patientId: 'OUT',
      patientName: 'BIG^FILE',
      studyUid: '1.2.826.0.1.3680043.2.1143.5.2',
      seriesUid: '1.2.826.0.1.3680043.2.1143.5.3',
      pixelData: pixels,
    }),
  );

  it('is browsed from its first 64 KiB', async () => {
    const { openFile, bytesRead } = countingOpener();
    const media = await readMedia(disc, { openFile });
    expect(media.instances).toHaveLength(1);
    // The scan checks "DICM" (132 bytes), then the header read checks it again and reads 64 KiB.
    expect(bytesRead()).toBeLessThanOrEqual(64 * 1024 + 2 * 132);
  });

  it('is coerced with the pixel data streamed, not loaded', async () => {
    const target = join(work, 'out');
    let peak = 0;
    const baseline = process.memoryUsage().arrayBuffers;
    const timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().arrayBuffers - baseline);
    }, 1);
    await coerceInstance(source, target, {
      patient: { patientId: 'LOC', name: 'BIG^FILE' },
      modifyingSystem: 'CAPTURE1',
    });
    clearInterval(timer);
    expect(peak).toBeLessThan(8 * 1024 * 1024);
    const out = readFileSync(target);
    expect(out.subarray(out.length - PIXELS).equals(pixels)).toBe(true);
  });
});
