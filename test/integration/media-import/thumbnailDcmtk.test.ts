/**
 * Study browser previews from files made by a real tool rather than by our own test builder:
 * DCMTK img2dcm wraps a JPEG as JPEG Baseline (encapsulated, PS3.5 A.4), and dcmcjpeg compresses a
 * native 8-bit image; both must preview as the picture they hold.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { makeThumbnail } from '../../../main/core/media-import/thumbnail';
import { outputText, runTool } from '../../services';
import { writeDiscInstance } from './buildDisc';

describe('makeThumbnail on DCMTK-made instances', () => {
  it('previews img2dcm JPEG Baseline and dcmcjpeg output, and the native original', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'thumb-dcmtk-'));
    const jpeg = join(dir, 'photo.jpg');
    // Left half black, right half white: the preview must keep that, not just be "a JPEG".
    const pixels = Buffer.alloc(320 * 240 * 3);
    for (let y = 0; y < 240; y++) pixels.fill(255, (y * 320 + 160) * 3, (y * 320 + 320) * 3);
    await sharp(pixels, { raw: { width: 320, height: 240, channels: 3 } })
      .jpeg()
      .toFile(jpeg);
    const wrapped = join(dir, 'photo.dcm');
    const made = await runTool('img2dcm', [jpeg, wrapped]);
    expect(made.code, outputText(made)).toBe(0);

    const thumb = await makeThumbnail(wrapped);
    if (!thumb.ok) throw new Error(thumb.reason);
    expect([thumb.width, thumb.height]).toEqual([160, 120]);
    const { data } = await sharp(thumb.jpeg)
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(data[60 * 160 + 20]).toBeLessThan(40); // left: black
    expect(data[60 * 160 + 140]).toBeGreaterThan(215); // right: white

    const native = await writeDiscInstance(dir, {
      file: 'native',
      sopInstanceUid: '1.2.826.0.1.3680043.2.1143.66.1',
      patientId: 'P',
      patientName: 'P^P',
      birthDate: '19700101',
      studyUid: '1.2.826.0.1.3680043.2.1143.66.2',
      seriesUid: '1.2.826.0.1.3680043.2.1143.66.3',
    });
    const compressed = join(dir, 'compressed');
    const packed = await runTool('dcmcjpeg', ['--encode-baseline', native, compressed]);
    expect(packed.code, outputText(packed)).toBe(0);
    for (const file of [native, compressed]) {
      const preview = await makeThumbnail(file);
      expect(preview.ok ? [preview.width, preview.height] : preview.reason).toEqual([16, 16]);
    }
    await rm(dir, { recursive: true, force: true });
  });
});
