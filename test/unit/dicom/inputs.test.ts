import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBmp } from '../../../main/core/dicom/inputs/bmp';
import { readJpegInfo } from '../../../main/core/dicom/inputs/jpegInfo';
import { checkPdf } from '../../../main/core/dicom/inputs/pdfCheck';
import { sniffFormat } from '../../../main/core/dicom/inputs/sniff';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'inputs-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const image = () =>
  sharp({ create: { width: 33, height: 17, channels: 3, background: { r: 10, g: 200, b: 30 } } });

describe('readJpegInfo', () => {
  it('reads size, components and process from the frame header', async () => {
    const info = readJpegInfo(await image().jpeg({ chromaSubsampling: '4:2:0' }).toBuffer());
    expect(info).toMatchObject({
      baseline: true,
      rows: 17,
      columns: 33,
      components: 3,
      chromaSubsampled: true,
    });
  });

  it('recognises progressive, 4:4:4 and greyscale', async () => {
    const progressive = readJpegInfo(await image().jpeg({ progressive: true }).toBuffer());
    expect(progressive).toMatchObject({ baseline: false, process: 'progressive' });
    const full = readJpegInfo(await image().jpeg({ chromaSubsampling: '4:4:4' }).toBuffer());
    expect(full.chromaSubsampled).toBe(false);
    const grey = readJpegInfo(await image().toColourspace('b-w').jpeg().toBuffer());
    expect(grey.components).toBe(1);
  });

  it('ends at EOI even with bytes after it; refuses non-JPEG and truncated streams', async () => {
    const bytes = await image().jpeg().toBuffer();
    expect(readJpegInfo(Buffer.concat([bytes, Buffer.from('trailer')])).end).toBe(bytes.length);
    expect(() => readJpegInfo(Buffer.from('hello world'))).toThrow(/not a JPEG/);
    expect(() => readJpegInfo(bytes.subarray(0, bytes.length - 40))).toThrow(/truncated/);
  });
});

describe('sniffFormat', () => {
  it.each([
    ['png', () => image().png().toBuffer()],
    ['jpeg', () => image().jpeg().toBuffer()],
    ['webp', () => image().webp().toBuffer()],
    ['tiff', () => image().tiff().toBuffer()],
    ['gif', () => image().gif().toBuffer()],
    ['pdf', () => Promise.resolve(Buffer.from('%PDF-1.7\n%%EOF\n'))],
    ['unknown', () => Promise.resolve(Buffer.from('just some text, not a known format'))],
  ] as const)('%s', async (format, make) => {
    const file = join(dir, `sniff-${format}.bin`);
    await writeFile(file, await make());
    expect(await sniffFormat(file)).toBe(format);
  });
});

describe('checkPdf', () => {
  it('accepts header + %%EOF, reports the version', async () => {
    const file = join(dir, 'ok.pdf');
    await writeFile(file, '%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\r\n');
    expect(await checkPdf(file)).toMatchObject({ version: '1.7', length: 34 });
  });
});

describe('decodeBmp', () => {
  it('32-bit BI_BITFIELDS with alpha, top-down', () => {
    const header = Buffer.alloc(14 + 56);
    header.write('BM', 0, 'latin1');
    header.writeUInt32LE(14 + 56, 10);
    header.writeUInt32LE(56, 14);
    header.writeInt32LE(1, 18);
    header.writeInt32LE(-1, 22);
    header.writeUInt16LE(1, 26);
    header.writeUInt16LE(32, 28);
    header.writeUInt32LE(3, 30);
    header.writeUInt32LE(0x00ff0000, 54);
    header.writeUInt32LE(0x0000ff00, 58);
    header.writeUInt32LE(0x000000ff, 62);
    header.writeUInt32LE(0xff000000, 66);
    const pixel = Buffer.from([0x30, 0x20, 0x10, 0x80]); // B G R A
    const bmp = decodeBmp(Buffer.concat([header, pixel]));
    expect(bmp).toMatchObject({ width: 1, height: 1, channels: 4 });
    expect([...bmp.pixels]).toEqual([0x10, 0x20, 0x30, 0x80]);
  });

  it('refuses RLE compression with the reason', () => {
    const header = Buffer.alloc(54 + 4);
    header.write('BM', 0, 'latin1');
    header.writeUInt32LE(54, 10);
    header.writeUInt32LE(40, 14);
    header.writeInt32LE(1, 18);
    header.writeInt32LE(1, 22);
    header.writeUInt16LE(8, 28);
    header.writeUInt32LE(1, 30);
    expect(() => decodeBmp(header)).toThrow(/compressed BMP \(biCompression 1\)/);
  });
});
