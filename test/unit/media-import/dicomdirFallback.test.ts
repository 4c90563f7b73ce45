/**
 * Issue 8, item 6: a DICOMDIR whose records resolve to no file at all (copied from another disc,
 * or written before the files were renamed) must not hide the images on the medium: the reader
 * scans instead and says so.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readMedia } from '../../../main/core/media-import/readMedia';
import { surveyMedia } from '../../../main/core/media-import/importMedia';
import { buildPart10 } from './buildPart10';
import { dicomdir } from './dicomdirFixture';
import { runCli } from '../../../main/cli';

const base = mkdtempSync(join(tmpdir(), 'media-fallback-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const image = (n: number) =>
  buildPart10({
    sopInstanceUid: `1.2.826.0.1.3680043.2.1143.77.${n}`,
    patientId: 'OUT-F',
    patientName: 'FALL^BACK',
    studyUid: '1.2.826.0.1.3680043.2.1143.77.100',
    seriesUid: '1.2.826.0.1.3680043.2.1143.77.101',
  });

describe('a DICOMDIR whose records resolve to no file', () => {
  it('is set aside with a reason and the medium is scanned instead', async () => {
    const disc = join(base, 'renamed');
    mkdirSync(join(disc, 'images'), { recursive: true });
    writeFileSync(join(disc, 'images', 'one.dcm'), image(1));
    writeFileSync(join(disc, 'images', 'two.dcm'), image(2));
    writeFileSync(
      join(disc, 'DICOMDIR'),
      dicomdir([
        ['DICOM', 'IM1'],
        ['DICOM', 'IM2'],
      ]),
    );
    const media = await readMedia(disc);
    expect(media.instances.map((i) => i.sopInstanceUid).sort()).toEqual([
      '1.2.826.0.1.3680043.2.1143.77.1',
      '1.2.826.0.1.3680043.2.1143.77.2',
    ]);
    expect(media.dicomdir).toBeUndefined();
    expect(media.scannedBecause).toBe(
      'DICOMDIR: none of its 2 file references resolves to a file on the medium; the disc is scanned instead',
    );
    // Each dead record is still reported, then the DICOMDIR itself with the fallback.
    expect(media.refused.map((r) => r.reason)).toEqual([
      'IMAGE record: DICOM\\IM1: no such file on the medium',
      'IMAGE record: DICOM\\IM2: no such file on the medium',
      media.scannedBecause,
    ]);
    const summary = await surveyMedia(disc);
    expect(summary.scannedBecause).toBe(media.scannedBecause);
    // The CLI's dry run says how the disc was read, not just "no DICOMDIR".
    const out: string[] = [];
    const code = await runCli(['import', disc, '--dry-run'], {
      out: (l) => out.push(l),
      err: () => {},
    });
    expect(code).toBe(0);
    expect(out[0]).toBe(`${media.root} (scanned: ${media.scannedBecause})`);
  });

  it('is used as usual when at least one record resolves', async () => {
    const disc = join(base, 'partial');
    mkdirSync(join(disc, 'DICOM'), { recursive: true });
    writeFileSync(join(disc, 'DICOM', 'IM1'), image(3));
    writeFileSync(join(disc, 'DICOM', 'stray'), image(4));
    writeFileSync(
      join(disc, 'DICOMDIR'),
      dicomdir([
        ['DICOM', 'IM1'],
        ['DICOM', 'GONE'],
      ]),
    );
    const media = await readMedia(disc);
    expect(media.scannedBecause).toBeUndefined();
    expect(media.dicomdir).toBe(join(media.root, 'DICOMDIR'));
    expect(media.instances.map((i) => i.sopInstanceUid)).toEqual([
      '1.2.826.0.1.3680043.2.1143.77.3',
    ]);
    // The dry run counts in words a person reads: one instance, not "1 instances".
    const out: string[] = [];
    await runCli(['import', disc, '--dry-run'], { out: (l) => out.push(l), err: () => {} });
    expect(out.filter((l) => l.startsWith('  study '))).toEqual([
      expect.stringMatching(/ 1 series, 1 instance$/),
    ]);
  });
});
