/**
 * Study browser previews (issue 8, item 3): JPEG Baseline frames and 8-bit uncompressed pixels are
 * downscaled to a small JPEG; anything else says why there is no preview instead of failing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeDataSet, tag, type ElementSpec } from '../../../main/core/dimse/dataSet';
import { makeThumbnail } from '../../../main/core/media-import/thumbnail';

const base = mkdtempSync(join(tmpdir(), 'media-thumb-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const us = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
};

interface Pixels {
  readonly syntax: string;
  readonly photometric: string;
  readonly samples: number;
  readonly bits: number;
  readonly rows: number;
  readonly columns: number;
  /** Native pixel bytes, or JPEG frames to encapsulate. */
  readonly native?: Buffer;
  readonly frames?: Buffer[];
}

/** A Part-10 Secondary Capture file with the given pixel module (PS3.3 C.7.6.3). */
function part10(p: Pixels): Buffer {
  const meta = encodeDataSet(
    [
      { tag: tag(2, 1), vr: 'OB', value: Buffer.from([0, 1]) },
      { tag: tag(2, 2), vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.7' },
      { tag: tag(2, 3), vr: 'UI', value: '1.2.3.4.5' },
      { tag: tag(2, 0x10), vr: 'UI', value: p.syntax },
    ],
    'explicit',
  );
  const length = Buffer.alloc(4);
  length.writeUInt32LE(meta.length);
  const elements: ElementSpec[] = [
    { tag: tag(8, 0x16), vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.7' },
    { tag: tag(8, 0x18), vr: 'UI', value: '1.2.3.4.5' },
    { tag: tag(0x20, 0x0d), vr: 'UI', value: '1.2.3.4.6' },
    { tag: tag(0x20, 0x0e), vr: 'UI', value: '1.2.3.4.7' },
    { tag: tag(0x28, 2), vr: 'US', value: us(p.samples) },
    { tag: tag(0x28, 4), vr: 'CS', value: p.photometric },
    ...(p.samples === 3 ? [{ tag: tag(0x28, 6), vr: 'US', value: us(0) }] : []),
    { tag: tag(0x28, 0x10), vr: 'US', value: us(p.rows) },
    { tag: tag(0x28, 0x11), vr: 'US', value: us(p.columns) },
    { tag: tag(0x28, 0x100), vr: 'US', value: us(p.bits) },
  ];
  if (p.native) elements.push({ tag: tag(0x7fe0, 0x10), vr: 'OB', value: p.native });
  const data = encodeDataSet(elements, 'explicit');
  const item = (bytes: Buffer) => {
    const head = Buffer.from([0xfe, 0xff, 0x00, 0xe0, 0, 0, 0, 0]);
    head.writeUInt32LE(bytes.length, 4);
    return Buffer.concat([head, bytes]);
  };
  const encapsulated = p.frames
    ? Buffer.concat([
        Buffer.from([0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x42, 0, 0, 0xff, 0xff, 0xff, 0xff]),
        item(Buffer.alloc(0)), // empty Basic Offset Table
        ...p.frames.map(item),
        Buffer.from([0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0]),
      ])
    : Buffer.alloc(0);
  const metaLength = encodeDataSet([{ tag: tag(2, 0), vr: 'UL', value: length }], 'explicit');
  return Buffer.concat([
    Buffer.alloc(128),
    Buffer.from('DICM'),
    metaLength,
    meta,
    data,
    encapsulated,
  ]);
}

function file(name: string, bytes: Buffer): string {
  const path = join(base, name);
  writeFileSync(path, bytes);
  return path;
}

/** Mean luminance of a JPEG (0…255), to tell a white picture from a black one. */
async function mean(jpeg: Buffer): Promise<number> {
  const stats = await sharp(jpeg).stats();
  return stats.channels[0]?.mean ?? -1;
}

describe('makeThumbnail', () => {
  it('downscales a JPEG Baseline frame split over two fragments', async () => {
    const jpeg = await sharp({
      create: { width: 640, height: 480, channels: 3, background: { r: 250, g: 250, b: 250 } },
    })
      .jpeg()
      .toBuffer();
    const half = jpeg.length >> 1;
    const path = file(
      'jpeg.dcm',
      part10({
        syntax: '1.2.840.10008.1.2.4.50',
        photometric: 'YBR_FULL_422',
        samples: 3,
        bits: 8,
        rows: 480,
        columns: 640,
        frames: [jpeg.subarray(0, half), jpeg.subarray(half)],
      }),
    );
    const thumb = await makeThumbnail(path);
    if (!thumb.ok) throw new Error(thumb.reason);
    expect([thumb.width, thumb.height]).toEqual([160, 120]);
    expect(thumb.jpeg.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(await mean(thumb.jpeg)).toBeGreaterThan(240);
  });

  it('turns 8-bit MONOCHROME2 and RGB pixels into a JPEG', async () => {
    const mono = file(
      'mono.dcm',
      part10({
        syntax: '1.2.840.10008.1.2.1',
        photometric: 'MONOCHROME2',
        samples: 1,
        bits: 8,
        rows: 32,
        columns: 64,
        native: Buffer.alloc(32 * 64, 20),
      }),
    );
    const rgb = file(
      'rgb.dcm',
      part10({
        syntax: '1.2.840.10008.1.2.1',
        photometric: 'RGB',
        samples: 3,
        bits: 8,
        rows: 16,
        columns: 16,
        native: Buffer.alloc(16 * 16 * 3, 200),
      }),
    );
    const dark = await makeThumbnail(mono);
    const light = await makeThumbnail(rgb);
    if (!dark.ok || !light.ok) throw new Error('no thumbnail');
    expect([dark.width, dark.height]).toEqual([64, 32]); // never enlarged
    expect(await mean(dark.jpeg)).toBeLessThan(30);
    expect(await mean(light.jpeg)).toBeGreaterThan(190);
  });

  it('gives the reason when the pixels are not decoded here or are cut short', async () => {
    const sixteen = file(
      'ct.dcm',
      part10({
        syntax: '1.2.840.10008.1.2.1',
        photometric: 'MONOCHROME2',
        samples: 1,
        bits: 16,
        rows: 8,
        columns: 8,
        native: Buffer.alloc(128),
      }),
    );
    const short = file(
      'short.dcm',
      part10({
        syntax: '1.2.840.10008.1.2.1',
        photometric: 'MONOCHROME2',
        samples: 1,
        bits: 8,
        rows: 100,
        columns: 100,
        native: Buffer.alloc(64),
      }),
    );
    const lossless = file(
      'j2k.dcm',
      part10({
        syntax: '1.2.840.10008.1.2.4.90',
        photometric: 'RGB',
        samples: 3,
        bits: 8,
        rows: 8,
        columns: 8,
        frames: [Buffer.from([0xff, 0x4f, 0xff, 0xd9])],
      }),
    );
    const garbage = file('garbage.dcm', Buffer.from('not dicom at all'));
    expect(await makeThumbnail(sixteen)).toEqual({
      ok: false,
      reason: 'no preview: 16-bit MONOCHROME2 pixels are not decoded here',
    });
    expect(await makeThumbnail(short)).toEqual({
      ok: false,
      reason: 'no preview: pixel data is shorter than Rows × Columns says',
    });
    expect(await makeThumbnail(lossless)).toEqual({
      ok: false,
      reason: 'no preview: transfer syntax 1.2.840.10008.1.2.4.90 is not decoded here',
    });
    const refused = await makeThumbnail(garbage);
    expect(refused.ok ? '' : refused.reason).toMatch(/^no preview: not a DICOM Part-10 file/);
  });
});
