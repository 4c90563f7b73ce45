/**
 * Bench inputs made by the station's own encoder: N Secondary Capture images of a given pixel
 * size with distinct UIDs (so Orthanc stores each), and one huge instance laid over a sparse file.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeDataSet, tag, type ElementSpec } from '../../main/core/dimse/dataSet';

const EXPLICIT_LE = '1.2.840.10008.1.2.1';

function part10Header(sopClassUid: string, sopInstanceUid: string): Buffer {
  const meta = encodeDataSet(
    [
      { tag: tag(0x0002, 0x0001), vr: 'OB', value: Buffer.from([0, 1]) },
      { tag: tag(0x0002, 0x0002), vr: 'UI', value: sopClassUid },
      { tag: tag(0x0002, 0x0003), vr: 'UI', value: sopInstanceUid },
      { tag: tag(0x0002, 0x0010), vr: 'UI', value: EXPLICIT_LE },
    ],
    'explicit',
  );
  const length = encodeDataSet(
    [{ tag: tag(0x0002, 0x0000), vr: 'UL', value: Buffer.alloc(4) }],
    'explicit',
  );
  length.writeUInt32LE(meta.length, 8);
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), length, meta]);
}

function identity(sopClassUid: string, uid: string): ElementSpec[] {
  return [
    { tag: tag(0x0008, 0x0016), vr: 'UI', value: sopClassUid },
    { tag: tag(0x0008, 0x0018), vr: 'UI', value: uid },
    { tag: tag(0x0008, 0x0060), vr: 'CS', value: 'OT' },
    { tag: tag(0x0010, 0x0010), vr: 'PN', value: 'Bench^Patient' },
    { tag: tag(0x0010, 0x0020), vr: 'LO', value: 'BENCH' },
    { tag: tag(0x0020, 0x000d), vr: 'UI', value: `${uid}.1` },
    { tag: tag(0x0020, 0x000e), vr: 'UI', value: `${uid}.2` },
  ];
}

/** Writes `count` images of `pixelBytes` each (512×512×2 bytes = 512 KiB by default) into dir. */
export async function makeImages(
  dir: string,
  prefix: string,
  count: number,
  pixelBytes = 512 * 1024,
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const sc = '1.2.840.10008.5.1.4.1.1.7';
  const side = Math.round(Math.sqrt(pixelBytes / 2));
  const pixels = randomBytes(side * side * 2);
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const uid = `2.25.${prefix}${1000000 + i}`;
    const file = join(dir, `${i}.dcm`);
    files.push(file);
    if (existsSync(file)) continue;
    const us = (n: number) => Buffer.from([n & 0xff, n >> 8]);
    const body = encodeDataSet(
      [
        ...identity(sc, uid),
        { tag: tag(0x0028, 0x0002), vr: 'US', value: us(1) },
        { tag: tag(0x0028, 0x0004), vr: 'CS', value: 'MONOCHROME2' },
        { tag: tag(0x0028, 0x0010), vr: 'US', value: us(side) },
        { tag: tag(0x0028, 0x0011), vr: 'US', value: us(side) },
        { tag: tag(0x0028, 0x0100), vr: 'US', value: us(16) },
        { tag: tag(0x0028, 0x0101), vr: 'US', value: us(16) },
        { tag: tag(0x0028, 0x0102), vr: 'US', value: us(15) },
        { tag: tag(0x0028, 0x0103), vr: 'US', value: us(0) },
        { tag: tag(0x7fe0, 0x0010), vr: 'OW', value: pixels },
      ],
      'explicit',
    );
    await writeFile(file, Buffer.concat([part10Header(sc, uid), body]));
  }
  return files;
}

/**
 * An Encapsulated PDF instance whose Encapsulated Document holds `bytes` zero bytes, written as a
 * sparse file: the bench measures the sender, not the disk.
 */
export async function makeHugeInstance(file: string, bytes: number): Promise<string> {
  if (existsSync(file)) return file;
  const pdf = '1.2.840.10008.5.1.4.1.1.104.1';
  const uid = '2.25.4242424242';
  // Encapsulated Document (0042,0011) must be the last element: the sparse tail is its value.
  const header = encodeDataSet(identity(pdf, uid), 'explicit');
  const documentHeader = Buffer.alloc(12);
  documentHeader.writeUInt16LE(0x0042, 0);
  documentHeader.writeUInt16LE(0x0011, 2);
  documentHeader.write('OB', 4, 'latin1');
  documentHeader.writeUInt32LE(bytes, 8);
  const handle = await open(file, 'w');
  try {
    const head = Buffer.concat([part10Header(pdf, uid), header, documentHeader]);
    await handle.write(head, 0, head.length, 0);
    await handle.truncate(head.length + bytes);
  } finally {
    await handle.close();
  }
  return file;
}
