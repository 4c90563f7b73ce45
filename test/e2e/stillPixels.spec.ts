import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { frame } from '../fixtures/makeY4m';
import { useArchiveSession } from './support/archiveSession';
import { CAMERA, sendReviewed, stillOutcome } from './support/browserMode';
import { instanceTags, waitForInstances } from './support/orthancStudies';

/** Luma of an RGB pixel on the BT.601 studio range (16–235), the range the fixture's Y plane uses. */
function studioLuma(r: number, g: number, b: number): number {
  return 16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255;
}

/** Peak signal-to-noise ratio in dB between two equally long 8-bit planes. */
function psnr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += ((a[i] ?? 0) - (b[i] ?? 0)) ** 2;
  const mse = sum / a.length;
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}

/** Issue 6: a still from the fake camera reaches Orthanc with the fixture's picture in it. */
describe('still capture end to end: fake camera → station → Orthanc → decoded pixels', () => {
  const session = useArchiveSession(
    { aeTitle: 'WOUND1', name: 'Wound clinic', department: 'woundcare' },
    { stillScene: true },
  );

  it('stores a VL Photographic image whose decoded pixels match the camera frame (PSNR ≥ 30 dB)', async () => {
    const { page, orthanc } = session;
    await page.getByTestId('worklist-row').filter({ hasText: 'Müller' }).click();
    // Wound care: no photo without its body site.
    expect(await page.getByTestId('capture-still').isDisabled()).toBe(true);
    await page.getByTestId('region-select').selectOption({ label: 'Abdomen' });
    await page.getByTestId('capture-still').click();
    // Held for review first: nothing reaches the archive before Send.
    expect(await stillOutcome(page)).toBe('In review');
    expect(await sendReviewed(page)).toEqual(['In the outbox']);
    const [id = ''] = await waitForInstances(orthanc, 1);
    const { tags } = await instanceTags(orthanc, id);
    expect(tags.SOPClassUID).toBe('1.2.840.10008.5.1.4.1.1.77.1.4');
    // The body site chosen on screen, as SNOMED CT in the Anatomic Region Sequence.
    expect(JSON.stringify(tags.AnatomicRegionSequence)).toContain('818981001');
    expect([tags.Columns, tags.Rows]).toEqual([String(CAMERA.width), String(CAMERA.height)]);

    // The JPEG inside the instance, decoded independently of the station (libjpeg-turbo via sharp).
    const jpeg = Buffer.from(
      await (await fetch(`${orthanc.baseUrl}/instances/${id}/frames/0/raw`)).arrayBuffer(),
    );
    const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([CAMERA.width, CAMERA.height, 3]);
    const luma = new Float64Array(info.width * info.height);
    for (let i = 0; i < luma.length; i++)
      luma[i] = studioLuma(data[3 * i] ?? 0, data[3 * i + 1] ?? 0, data[3 * i + 2] ?? 0);
    const fixtureLuma = frame(CAMERA, 0).subarray(0, CAMERA.width * CAMERA.height);
    const quality = psnr(luma, fixtureLuma);
    console.log(`still vs fixture frame: luma PSNR ${quality.toFixed(1)} dB`);
    expect(quality).toBeGreaterThanOrEqual(30);
  });
});
