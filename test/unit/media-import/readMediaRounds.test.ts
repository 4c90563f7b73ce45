/**
 * readMedia resolves a DICOMDIR's references in rounds and hands each round's files to the
 * header reads at once, so reading headers overlaps resolving the rest (bench/import: the machine
 * was a third idle while 2,000 references were resolved first and read after). The outcome is as
 * before: instances in the records' order, a file referenced twice read once, a reference to
 * nothing refused.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readHeaders } from '../../../main/core/media-import/readInstance';
import { readMedia } from '../../../main/core/media-import/readMedia';
import { openForReading } from '../../../main/core/media-import/types';
import { buildPart10 } from './buildPart10';
import { dicomdir } from './dicomdirFixture';

const base = mkdtempSync(join(tmpdir(), 'media-rounds-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const uid = (n: number) => `1.2.826.0.1.3680043.2.1143.78.${n}`;
const IMAGES = 300;

describe('readMedia with a large DICOMDIR', () => {
  it('reads the first headers while later references are still being resolved, two rounds at most', async () => {
    const disc = join(base, 'disc');
    mkdirSync(join(disc, 'DICOM'), { recursive: true });
    const ids: string[][] = [];
    for (let n = 0; n < IMAGES; n++) {
      writeFileSync(
        join(disc, 'DICOM', `IM${n}`),
        buildPart10({
          sopInstanceUid: uid(n),
          patientId: 'OUT-R',
          patientName: 'ROUND^ROBIN',
          studyUid: uid(1000),
          seriesUid: uid(1001),
        }),
      );
      ids.push(['DICOM', `IM${n}`]);
    }
    // The first image again in a later round, and a reference to nothing.
    ids.splice(200, 0, ['DICOM', 'IM0'], ['DICOM', 'GONE']);
    writeFileSync(join(disc, 'DICOMDIR'), dicomdir(ids));

    const calls: number[] = [];
    let pending = 0;
    let mostPending = 0;
    let openGate = () => {};
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const media = await readMedia(disc, {
      readHeaders: async (paths) => {
        calls.push(paths.length);
        mostPending = Math.max(mostPending, ++pending);
        // The first round's headers are held until the second round has been handed over: a
        // reader that resolved every reference before reading any would never get there.
        if (calls.length === 1) await gate;
        if (calls.length === 2) openGate();
        try {
          return await readHeaders(paths, openForReading);
        } finally {
          pending--;
        }
      },
    });

    expect(calls).toEqual([128, 126, IMAGES - 254]);
    // No more than two rounds are read at once (a slow medium gets no pile of reads).
    expect(mostPending).toBe(2);
    expect(media.instances.map((i) => i.sopInstanceUid)).toEqual(
      Array.from({ length: IMAGES }, (_, n) => uid(n)),
    );
    expect(media.refused.map((r) => r.path)).toEqual(['DICOM\\GONE']);
  }, 10_000);
});
