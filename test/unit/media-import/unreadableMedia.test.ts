/**
 * Issue 8, review of hostile media: what cannot be read is reported, never a crash and never
 * silence. A DICOMDIR that cannot be opened or read (EACCES, EIO on a scratched disc) or is too
 * large gives way to a scan; in the scan, a file or folder that cannot be read, and a folder too
 * deep, is refused with its reason; a DICOMDIR record naming anything but a regular file is
 * refused before anything opens it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDicomdir } from '../../../main/core/media-import/parseDicomdir';
import { readMedia } from '../../../main/core/media-import/readMedia';
import { openForReading, type OpenFile } from '../../../main/core/media-import/types';
import { buildPart10 } from './buildPart10';
import { dicomdir } from './dicomdirFixture';

const base = mkdtempSync(join(tmpdir(), 'media-unreadable-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const uid = (n: number) => `1.2.826.0.1.3680043.2.1143.55.${n}`;
const image = (n: number) =>
  buildPart10({
    sopInstanceUid: uid(n),
    patientId: 'OUT-U',
    patientName: 'UN^READ',
    studyUid: uid(100),
    seriesUid: uid(101),
  });

function disc(name: string, files: Record<string, Buffer | string>): string {
  const root = join(base, name);
  for (const [file, bytes] of Object.entries(files)) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), bytes);
  }
  return root;
}

const systemError = (code: string): NodeJS.ErrnoException =>
  Object.assign(new Error(`${code}: failed`), { code });

/** Opens as usual, but `fail(path)` can make the open, or each read, fail. */
function failingOpener(fail: (path: string) => 'open' | 'read' | undefined) {
  const opened: string[] = [];
  const openFile: OpenFile = async (path) => {
    opened.push(path);
    const how = fail(path);
    if (how === 'open') throw systemError('EACCES');
    const handle = await open(path, 'r');
    if (how !== 'read') return handle;
    return new Proxy(handle, {
      get: (target, key) => {
        if (key === 'read') return () => Promise.reject(systemError('EIO'));
        const value: unknown = Reflect.get(target, key);
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    });
  };
  return { openFile, opened };
}

const isDicomdir = (path: string) => path.endsWith('DICOMDIR');

/**
 * A DICOMDIR of `count` IMAGE records naming DICOM\IM<n>, written directly (as the review's
 * mkdd.mjs did): dcmjs takes minutes for 200,000 records.
 */
function manyRecords(count: number): Buffer {
  const element = (group: number, elem: number, vr: string, value: string): Buffer => {
    const bytes = Buffer.from(value.length % 2 ? `${value} ` : value, 'latin1');
    const header = Buffer.alloc(8);
    header.writeUInt16LE(group, 0);
    header.writeUInt16LE(elem, 2);
    header.write(vr, 4, 'latin1');
    header.writeUInt16LE(bytes.length, 6);
    return Buffer.concat([header, bytes]);
  };
  const items = Array.from({ length: count }, (_, n) => {
    const body = Buffer.concat([
      element(4, 0x1430, 'CS', 'IMAGE'),
      element(4, 0x1500, 'CS', `DICOM\\IM${n}`),
    ]);
    const item = Buffer.alloc(8);
    item.writeUInt32LE(0xe000fffe, 0);
    item.writeUInt32LE(body.length, 4);
    return Buffer.concat([item, body]);
  });
  const sequence = Buffer.alloc(12);
  sequence.writeUInt16LE(4, 0);
  sequence.writeUInt16LE(0x1220, 2);
  sequence.write('SQ', 4, 'latin1');
  sequence.writeUInt32LE(0xffffffff, 8);
  const end = Buffer.from([0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0]);
  const header = dicomdir([]); // preamble, meta group and an empty record sequence
  const emptySequence = header.indexOf(Buffer.from([4, 0, 0x20, 0x12]));
  return Buffer.concat([header.subarray(0, emptySequence), sequence, ...items, end]);
}

describe('a DICOMDIR that cannot be opened or read', () => {
  it.each([
    ['open', 'DICOMDIR cannot be read: permission denied: '],
    ['read', 'DICOMDIR cannot be read: read error on the medium: '],
  ] as const)('gives way to a scan when its %s fails', async (how, reason) => {
    const root = disc(`dicomdir-${how}`, {
      DICOMDIR: dicomdir([['DICOM', 'IM1']]),
      'DICOM/IM1': image(1),
    });
    const { openFile } = failingOpener((p) => (isDicomdir(p) ? how : undefined));
    const media = await readMedia(root, { openFile });
    expect(media.scannedBecause).toMatch(new RegExp(`^${reason}.*; the disc is scanned instead$`));
    expect(media.dicomdir).toBeUndefined();
    expect(media.instances.map((i) => i.sopInstanceUid)).toEqual([uid(1)]);
  });

  it('gives way to a scan when it is larger than 32 MiB, unread', async () => {
    const root = disc('dicomdir-huge', { 'DICOM/IM1': image(1) });
    writeFileSync(join(root, 'DICOMDIR'), '');
    truncateSync(join(root, 'DICOMDIR'), 33 * 1024 * 1024); // sparse: nothing written
    const media = await readMedia(root);
    expect(media.scannedBecause).toBe(
      'DICOMDIR of 34603008 bytes is larger than 33554432: not read; the disc is scanned instead',
    );
    expect(media.instances).toHaveLength(1);
  });

  it('gives way to a scan when it holds more than 200,000 records', async () => {
    const bytes = manyRecords(200_001);
    expect(() => parseDicomdir(bytes)).toThrow('DICOMDIR has more than 200000 records: not read');
    const records = parseDicomdir(manyRecords(200_000));
    expect([records.length, records.at(-1)]).toEqual([
      200_000,
      { type: 'IMAGE', fileId: ['DICOM', 'IM199999'] },
    ]);
    const root = disc('dicomdir-many', { DICOMDIR: bytes, 'DICOM/IM1': image(1) });
    const media = await readMedia(root);
    expect(media.scannedBecause).toBe(
      'DICOMDIR has more than 200000 records: not read; the disc is scanned instead',
    );
    expect(media.instances).toHaveLength(1);
  }, 30_000);
});

describe('the scan', () => {
  it('refuses a file it cannot read with the reason, not "no DICM"', async () => {
    const root = disc('scan-eio', { 'a/IM1': image(1), 'a/IM2': image(2), 'a/IM3': image(3) });
    const { openFile } = failingOpener((p) =>
      p.endsWith('IM2') ? 'read' : p.endsWith('IM3') ? 'open' : undefined,
    );
    const media = await readMedia(root, { openFile });
    expect(media.instances.map((i) => i.sopInstanceUid)).toEqual([uid(1)]);
    expect(media.skipped).toEqual([]);
    expect(media.refused).toEqual([
      {
        path: 'a/IM2',
        reason: expect.stringMatching(
          /^cannot be read: read error on the medium: .*\[EIO\]$/,
        ) as unknown,
      },
      {
        path: 'a/IM3',
        reason: expect.stringMatching(
          /^cannot be read: permission denied: .*\[EACCES\]$/,
        ) as unknown,
      },
    ]);
  });

  it('refuses, once each, a folder it cannot list and a folder deeper than 16 levels', async () => {
    const deep = Array.from({ length: 20 }, (_, i) => `d${i}`).join('/');
    const root = disc('scan-folders', {
      'a/IM1': image(1),
      'b/IM2': image(2),
      [`c/${deep}/IM3`]: image(3),
    });
    // Folder b vanishes once a/IM1 is opened, as on a disc taken out while being read.
    const { openFile } = failingOpener((p) => {
      if (p.endsWith('IM1')) rmSync(join(root, 'b'), { recursive: true, force: true });
      return undefined;
    });
    const media = await readMedia(root, { openFile });
    expect(media.instances.map((i) => i.sopInstanceUid)).toEqual([uid(1)]);
    const tooDeep = `c/${Array.from({ length: 16 }, (_, i) => `d${i}`).join('/')}/`;
    expect(media.refused).toEqual([
      {
        path: 'b/',
        reason: 'cannot be read: no longer on the medium: was the disc or drive removed? [ENOENT]',
      },
      { path: tooDeep, reason: 'deeper than 16 levels: not read' },
    ]);
  });
});

describe('a DICOMDIR record naming something that is not a regular file', () => {
  it('is refused before anything opens it: a folder, a FIFO, a link to a FIFO', async () => {
    const root = disc('not-files', {
      'DICOM/IM1': image(1),
      'DICOM/SUB/x': 'x',
      DICOMDIR: dicomdir([
        ['DICOM', 'IM1'],
        ['DICOM', 'SUB'],
        ['DICOM', 'FIFO'],
        ['DICOM', 'LINK'],
      ]),
    });
    execFileSync('mkfifo', [join(root, 'DICOM', 'FIFO')]);
    symlinkSync(join(root, 'DICOM', 'FIFO'), join(root, 'DICOM', 'LINK'));
    const { openFile, opened } = failingOpener(() => undefined);
    const media = await readMedia(root, { openFile });
    expect(media.instances.map((i) => i.sopInstanceUid)).toEqual([uid(1)]);
    expect(media.refused.map((r) => r.reason)).toEqual(
      ['SUB', 'FIFO', 'LINK'].map(
        (n) =>
          `IMAGE record: DICOM\\${n} is not a regular file (a folder, device, pipe or socket); not opened`,
      ),
    );
    expect(opened.map((p) => p.slice(media.root.length + 1))).toEqual(['DICOMDIR', 'DICOM/IM1']);
  });

  it('is refused for a device node (mknod needs root)', async (context) => {
    if (process.getuid?.() !== 0) {
      console.log('skipped: creating a device node (mknod) needs root, and this run is not root');
      context.skip();
    }
    const root = disc('device', { DICOMDIR: dicomdir([['NULL']]), IM1: image(1) });
    execFileSync('mknod', [join(root, 'NULL'), 'c', '1', '3']);
    const { openFile, opened } = failingOpener(() => undefined);
    const media = await readMedia(root, { openFile });
    expect(media.refused[0]?.reason).toMatch(/^IMAGE record: NULL is not a regular file/);
    expect(opened.some((p) => p.endsWith('NULL'))).toBe(false);
  });

  it('is not followed by the open when it became a link after it was resolved', async () => {
    const root = disc('late-link', { IM1: image(1) });
    symlinkSync(join(root, 'IM1'), join(root, 'LATE'));
    await expect(openForReading(join(root, 'LATE'))).rejects.toMatchObject({ code: 'ELOOP' });
    const handle: FileHandle = await openForReading(join(root, 'IM1'));
    await handle.close();
  });
});
