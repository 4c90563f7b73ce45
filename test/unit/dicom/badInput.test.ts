import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputRejectedError } from '../../../main/core/dicom/errors';
import { wrapCapture } from '../../../main/core/dicom/wrapCapture';
import type { CaptureKind } from '../../../main/core/dicom/sopClass';
import { unitContext } from './testContext';

let dir = '';
let out = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bad-input-'));
  out = join(dir, 'out');
  await writeFile(join(dir, '.keep'), '');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function expectRejected(file: string, kind: CaptureKind, reason: RegExp): Promise<void> {
  const attempt = wrapCapture({ input: file, kind, context: unitContext(), output: out });
  await expect(attempt).rejects.toBeInstanceOf(InputRejectedError);
  await expect(attempt).rejects.toThrow(new RegExp(`^${file.replace(/[.]/g, '\\.')}: `));
  await expect(attempt).rejects.toThrow(reason);
  // Nothing written: no output, no temporary file, no scratch folder.
  expect((await readdir(dir)).sort()).toEqual(['.keep', file.slice(dir.length + 1)].sort());
}

const pdfText = (body: string) => Buffer.from(`%PDF-1.4\n${body}`, 'latin1');

describe('bad input gives one clear error naming the file, and writes nothing', () => {
  it('random bytes named .jpg', async () => {
    const file = join(dir, 'photo.jpg');
    await writeFile(file, randomBytes(4096));
    await expectRejected(file, 'photo', /not an image: unrecognised content/);
  });

  it('a PNG named .pdf', async () => {
    const file = join(dir, 'report.pdf');
    await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } })
      .png()
      .toFile(file);
    await expectRejected(file, 'pdf', /not a PDF document/);
  });

  it('a truncated PDF', async () => {
    const file = join(dir, 'cut.pdf');
    await writeFile(file, pdfText('1 0 obj\n<< /Type /Catalog >>\nendobj\n'.repeat(200)));
    await expectRejected(file, 'pdf', /truncated \(no %%EOF/);
  });

  it('a truncated JPEG', async () => {
    const file = join(dir, 'cut.jpg');
    const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#a00' } })
      .jpeg()
      .toBuffer();
    await writeFile(file, jpeg.subarray(0, Math.floor(jpeg.length / 2)));
    await expectRejected(file, 'photo', /truncated/);
  });

  it('a PDF offered as a photo', async () => {
    const file = join(dir, 'looks-like.jpg');
    await writeFile(file, pdfText('%%EOF\n'));
    await expectRejected(file, 'photo', /not an image: PDF content/);
  });

  it('a JPEG offered as a video', async () => {
    const file = join(dir, 'clip.mp4');
    await writeFile(file, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]));
    const attempt = wrapCapture({
      input: file,
      kind: 'video-photo',
      context: unitContext(),
      output: out,
      prepareVideo: () => Promise.reject(new Error('must not be called')),
    });
    await expect(attempt).rejects.toThrow(/clip\.mp4: not a video: JPEG content/);
  });

  it('a missing output folder is named', async () => {
    const file = join(dir, 'any.pdf');
    await writeFile(file, pdfText('%%EOF\n'));
    const output = join(dir, 'no-such-folder', 'out.dcm');
    await expect(
      wrapCapture({ input: file, kind: 'pdf', context: unitContext(), output }),
    ).rejects.toThrow(/no-such-folder: the output folder does not exist/);
  });

  it('an unknown region code is refused before anything is written', async () => {
    const file = join(dir, 'ok.jpg');
    await writeFile(
      file,
      await sharp({ create: { width: 16, height: 16, channels: 3, background: '#0a0' } })
        .jpeg()
        .toBuffer(),
    );
    const context = unitContext({ region: { code: '999999' } });
    await expect(wrapCapture({ input: file, kind: 'photo', context, output: out })).rejects.toThrow(
      /unknown anatomic region code 999999/,
    );
    const paired = unitContext({ region: { code: '85562004' } });
    await expect(
      wrapCapture({ input: file, kind: 'photo', context: paired, output: out }),
    ).rejects.toThrow(/Hand is a paired region/);
    expect(await readFile(file)).toBeTruthy();
    expect((await readdir(dir)).sort()).toEqual(['.keep', 'ok.jpg']);
  });
});
