/**
 * Issue 8, review of hostile media: a file is imported under the UIDs of its data set, which an
 * archive files it by. A meta group naming another instance (UIDMIX: meta group new, data set
 * IM1's) was imported and stored over IM1; two different files sharing a SOP Instance UID kept
 * whichever sorted first, another patient's included; an absurd Pixel Data length went through.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readMedia } from '../../../main/core/media-import/readMedia';
import { buildPart10, type TestInstance } from './buildPart10';
import { patched, scanBytes } from './spliceElements';

const base = mkdtempSync(join(tmpdir(), 'media-identity-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const uid = (n: number) => `1.2.826.0.1.3680043.2.1143.66.${n}`;
const SC = '1.2.840.10008.5.1.4.1.1.7';

function image(n: number, extra: Partial<TestInstance> = {}): Buffer {
  return buildPart10({
    sopInstanceUid: uid(n),
    patientId: 'OUT-A',
    patientName: 'ALPHA^ANNE',
    studyUid: uid(100),
    seriesUid: uid(101),
    ...extra,
  });
}

/** scanHeader of `bytes`, each written under a name of its own. */
const scan = (bytes: Buffer) =>
  scanBytes(base, `scan-${Math.random().toString(36).slice(2)}`, bytes);

/** The offset of the data set: the UID's first occurrence is the meta group's (0002,0003). */
const dataSetOf = (bytes: Buffer, sop: string) =>
  bytes.indexOf(Buffer.from(sop, 'latin1')) + sop.length;

function disc(name: string, files: Record<string, Buffer>): string {
  const root = join(base, name);
  mkdirSync(root, { recursive: true });
  for (const [file, bytes] of Object.entries(files)) writeFileSync(join(root, file), bytes);
  return root;
}

const refusals = (media: Awaited<ReturnType<typeof readMedia>>) =>
  Object.fromEntries(media.refused.map((r) => [r.path.split('/').pop() ?? '', r.reason]));

describe('a file whose meta group and data set disagree', () => {
  // Meta group (0002,0003) a UID of its own, data set (0008,0018) IM1's: as the review built it.
  const uidmix = patched(image(1, { pixelData: Buffer.alloc(64, 9) }), uid(1), uid(7));

  it('is refused, naming both UIDs, and IM1 is the only instance under its UID', async () => {
    const media = await readMedia(disc('uidmix', { IM1: image(1), UIDMIX: uidmix }));
    expect(media.instances.map((i) => [i.path.split('/').pop(), i.sopInstanceUid])).toEqual([
      ['IM1', uid(1)],
    ]);
    expect(refusals(media)).toEqual({
      UIDMIX: `SOP Instance UID: meta group says ${uid(7)}, data set (0008,0018) says ${uid(1)}; not imported`,
    });
  });

  it('is refused for a SOP Class UID that differs, and without a SOP Instance UID', async () => {
    const good = image(2);
    const otherClass = patched(good, SC, '1.2.840.10008.5.1.4.1.1.6', dataSetOf(good, uid(2)));
    await expect(scan(otherClass)).rejects.toThrow(
      `SOP Class UID: meta group says ${SC}, data set (0008,0016) says 1.2.840.10008.5.1.4.1.1.6; not imported`,
    );
    // (0008,0018) renamed (0008,0019): still in tag order, the data set has no SOP Instance UID.
    const tag = Buffer.from([0x08, 0x00, 0x18, 0x00, 0x55, 0x49]).toString('latin1');
    const noUid = patched(good, tag, tag.slice(0, 2) + '\x19' + tag.slice(3));
    await expect(scan(noUid)).rejects.toThrow(
      'data set lacks its SOP Instance UID (0008,0018); not imported',
    );
  });
});

describe('files that share a SOP Instance UID', () => {
  it('refuses both copies that differ, each naming the other, whichever sorts first', async () => {
    // Another patient's file sorts first: it used to be kept and the chosen patient's hidden.
    const other = image(3, { patientId: 'OUT-B', patientName: 'BETA^BOBBY' }); // same size
    const media = await readMedia(disc('conflict', { A_OTHER: other, B_MINE: image(3) }));
    expect(media.instances).toEqual([]);
    const root = media.root;
    expect(refusals(media)).toEqual({
      A_OTHER: `conflicting copies: SOP Instance UID ${uid(3)} is also in ${root}/B_MINE, with a different patient; neither is imported`,
      B_MINE: `conflicting copies: SOP Instance UID ${uid(3)} is also in ${root}/A_OTHER, with a different patient; neither is imported`,
    });
  });

  it('refuses copies of one patient that differ in size', async () => {
    const longer = image(4, { pixelData: Buffer.alloc(128, 7) });
    const media = await readMedia(disc('sizes', { A: image(4), B: longer, C: image(5) }));
    expect(media.instances.map((i) => i.sopInstanceUid)).toEqual([uid(5)]);
    expect(refusals(media)['A']).toMatch(/^conflicting copies: .* with a different size;/);
  });

  it('keeps one of identical copies and reports the other as a duplicate', async () => {
    const media = await readMedia(disc('same', { A: image(6), B: image(6) }));
    expect(media.instances.map((i) => i.path)).toEqual([join(media.root, 'A')]);
    expect(refusals(media)).toEqual({
      B: `duplicate of ${join(media.root, 'A')} (same SOP Instance UID)`,
    });
  });
});

describe('the Pixel Data length', () => {
  const good = image(8);
  const pixelAt = good.length - 64 - 12;

  it('is refused when it claims more bytes than the file has', async () => {
    const absurd = Buffer.from(good.subarray(0, pixelAt + 16));
    absurd.writeUInt32LE(0xfffffff0, pixelAt + 8);
    await expect(scan(absurd)).rejects.toThrow(
      'Pixel Data (7FE0,0010) claims 4294967280 bytes but only 4 remain (truncated or corrupt)',
    );
    const media = await readMedia(disc('absurd-pixels', { ABSURDPX: absurd }));
    expect(media.instances).toEqual([]);
    expect(refusals(media)['ABSURDPX']).toMatch(/Pixel Data \(7FE0,0010\) claims/);
  });

  it('is refused when undefined but no item follows, and kept when an item does', async () => {
    const undefinedLength = Buffer.from(good);
    undefinedLength.writeUInt32LE(0xffffffff, pixelAt + 8);
    await expect(scan(undefinedLength)).rejects.toThrow(
      'garbled Pixel Data (7FE0,0010): undefined length but (0707,0707) where an item (FFFE,E000) was',
    );
    await expect(scan(undefinedLength.subarray(0, pixelAt + 16))).rejects.toThrow(
      /truncated inside its Pixel Data/,
    );
    const item = Buffer.from([
      0xfe, 0xff, 0x00, 0xe0, 0, 0, 0, 0, 0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0,
    ]);
    const encapsulated = Buffer.concat([undefinedLength.subarray(0, pixelAt + 12), item]);
    expect((await scan(encapsulated)).pixelDataOffset).toBe(pixelAt);
    expect((await scan(good)).pixelDataOffset).toBe(pixelAt);
  });
});
