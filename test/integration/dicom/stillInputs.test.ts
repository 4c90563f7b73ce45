import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wrapCapture } from '../../../main/core/dicom/wrapCapture';
import { expectValidDicom, outputText, runTool } from '../../services';
import { firstFragment, makeCameraJpeg, readBack, sampleContext } from './fixtures';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'still-inputs-'));
  await makeCameraJpeg(join(dir, 'camera.jpg'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Decodes the instance with DCMTK (dcmj2pnm, IJG decoder) to interleaved 8-bit RGB samples. */
async function decodeWithDcmtk(
  file: string,
): Promise<{ width: number; height: number; rgb: Buffer }> {
  const out = `${file}.ppm`;
  const result = await runTool('dcmj2pnm', [file, out]);
  if (result.code !== 0) throw new Error(outputText(result));
  const ppm = await readFile(out);
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.toString('latin1', 0, 40));
  if (!header) throw new Error('dcmj2pnm did not write a binary PPM');
  const width = Number(header[1]);
  const height = Number(header[2]);
  return { width, height, rgb: ppm.subarray(ppm.length - width * height * 3) };
}

async function wrapPhoto(input: string, name: string) {
  const output = join(dir, `${name}.dcm`);
  const result = await wrapCapture({ input, kind: 'photo', context: sampleContext(), output });
  await expectValidDicom(output);
  return { output, result };
}

describe('camera JPEG', () => {
  it('embeds the camera bytes unchanged, in one fragment', async () => {
    const source = await readFile(join(dir, 'camera.jpg'));
    const { output, result } = await wrapPhoto(join(dir, 'camera.jpg'), 'camera');
    expect(result.reencodedBecause).toBeUndefined();
    const fragment = firstFragment((await readBack(output)).bytes);
    expect(fragment.subarray(0, source.length).equals(source)).toBe(true);
    expect(fragment.length - source.length).toBe(source.length % 2); // one NUL pad when odd
  });

  it('decodes with DCMTK to exactly the pixels libjpeg-turbo decodes from the source JPEG', async () => {
    const { output } = await wrapPhoto(join(dir, 'camera.jpg'), 'camera-pixels');
    const dicom = await decodeWithDcmtk(output);
    const source = await sharp(join(dir, 'camera.jpg')).raw().toBuffer({ resolveWithObject: true });
    expect([dicom.width, dicom.height]).toEqual([source.info.width, source.info.height]);
    expect(dicom.rgb.equals(source.data)).toBe(true);
  });
});

describe('inputs that are converted to JPEG Baseline', () => {
  it('PNG with alpha: flattened onto white', async () => {
    const png = join(dir, 'alpha.png');
    await sharp({
      create: { width: 64, height: 48, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toFile(png);
    const { output, result } = await wrapPhoto(png, 'alpha');
    expect(result.reencodedBecause).toMatch(/PNG/);
    const { rgb } = await decodeWithDcmtk(output);
    expect(Math.min(...rgb)).toBeGreaterThanOrEqual(250);
  });

  it('EXIF-rotated JPEG: orientation applied, rows and columns swapped', async () => {
    const rotated = join(dir, 'rotated.jpg');
    await sharp(join(dir, 'camera.jpg')).withMetadata({ orientation: 6 }).jpeg().toFile(rotated);
    const { output, result } = await wrapPhoto(rotated, 'rotated');
    expect(result.reencodedBecause).toMatch(/orientation is 6/);
    const { data } = await readBack(output);
    expect([data.Rows, data.Columns]).toEqual([640, 480]);
    expect(data.ImageType).toEqual(['DERIVED', 'PRIMARY']);
  });

  it('CMYK JPEG: converted to three components', async () => {
    const cmyk = join(dir, 'cmyk.jpg');
    await sharp(join(dir, 'camera.jpg')).toColourspace('cmyk').jpeg().toFile(cmyk);
    const { output, result } = await wrapPhoto(cmyk, 'cmyk');
    expect(result.reencodedBecause).toMatch(/4 components/);
    expect((await readBack(output)).data.SamplesPerPixel).toBe(3);
  });

  it('4:4:4 JPEG: re-encoded 4:2:0, since VL images do not admit YBR_FULL', async () => {
    const full = join(dir, 'full.jpg');
    await sharp(join(dir, 'camera.jpg')).jpeg({ chromaSubsampling: '4:4:4' }).toFile(full);
    const { output, result } = await wrapPhoto(full, 'full');
    expect(result.reencodedBecause).toMatch(/4:4:4/);
    expect((await readBack(output)).data.PhotometricInterpretation).toBe('YBR_FULL_422');
  });

  it('greyscale JPEG: embedded unchanged as MONOCHROME2', async () => {
    const grey = join(dir, 'grey.jpg');
    await sharp(join(dir, 'camera.jpg')).toColourspace('b-w').jpeg().toFile(grey);
    const { output, result } = await wrapPhoto(grey, 'grey');
    expect(result.reencodedBecause).toBeUndefined();
    expect((await readBack(output)).data.PhotometricInterpretation).toBe('MONOCHROME2');
  });

  it('progressive JPEG: re-encoded as baseline', async () => {
    const progressive = join(dir, 'progressive.jpg');
    await sharp(join(dir, 'camera.jpg'))
      .jpeg({ progressive: true, mozjpeg: false })
      .toFile(progressive);
    const { result } = await wrapPhoto(progressive, 'progressive');
    expect(result.reencodedBecause).toMatch(/progressive/);
  });

  it.each(['tiff', 'webp', 'gif', 'avif'] as const)('%s: converted', async (format) => {
    const file = join(dir, `image.${format}`);
    await sharp(join(dir, 'camera.jpg')).toFormat(format).toFile(file);
    const { output } = await wrapPhoto(file, `converted-${format}`);
    expect((await readBack(output)).data.Columns).toBe(640);
  });

  it('BMP (24-bit, bottom-up): converted with the right orientation and colours', async () => {
    const size = 32; // whole 16×16 MCUs, so 4:2:0 chroma does not mix the two halves
    const stride = size * 3;
    const header = Buffer.alloc(54);
    header.write('BM', 0, 'latin1');
    header.writeUInt32LE(54 + stride * size, 2);
    header.writeUInt32LE(54, 10);
    header.writeUInt32LE(40, 14);
    header.writeInt32LE(size, 18);
    header.writeInt32LE(size, 22); // positive height: bottom row first
    header.writeUInt16LE(1, 26);
    header.writeUInt16LE(24, 28);
    const row = (bgr: number[]) => Buffer.from(Array.from({ length: size }, () => bgr).flat());
    const rows = Array.from({ length: size }, (_, y) =>
      row(y < size / 2 ? [255, 0, 0] : [0, 0, 255]),
    );
    const bmp = join(dir, 'scan.bmp');
    await writeFile(bmp, Buffer.concat([header, ...rows]));
    const { output } = await wrapPhoto(bmp, 'bmp');
    const { rgb } = await decodeWithDcmtk(output);
    expect(rgb[0]).toBeGreaterThan(230); // top-left is red
    expect(rgb[2]).toBeLessThan(30);
    expect(rgb[rgb.length - 1]).toBeGreaterThan(230); // bottom-right is blue
    expect(rgb[rgb.length - 3]).toBeLessThan(30);
  });
});
