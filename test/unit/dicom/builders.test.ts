import { describe, expect, it } from 'vitest';
import { ANATOMIC_REGIONS, findRegion } from '../../../main/core/dicom/anatomy';
import {
  cineAttributes,
  videoFragments,
  videoTransferSyntax,
  VIDEO_FRAGMENT_BYTES,
} from '../../../main/core/dicom/builders/buildVideoPlan';
import { buildStillPlan, photometricFor } from '../../../main/core/dicom/builders/buildStillPlan';
import { personName } from '../../../main/core/dicom/builders/commonModules';
import { dicomDateTime, dicomTime } from '../../../main/core/dicom/dicomDateTime';
import type { JpegInfo } from '../../../main/core/dicom/inputs/jpegInfo';
import { CaptureSession } from '../../../main/core/dicom/session';
import { chooseSopClass, sopClassForKind } from '../../../main/core/dicom/sopClass';
import { SopClassUid, TransferSyntaxUid, isValidUid, newUid } from '../../../main/core/dicom/uids';
import { unitContext } from './testContext';

const jpeg: JpegInfo = {
  process: 'baseline',
  baseline: true,
  precision: 8,
  rows: 480,
  columns: 640,
  components: 3,
  chromaSubsampled: true,
  adobeRgb: false,
  end: 1000,
};

describe('SOP class choice', () => {
  it.each([
    ['endoscopy', 'still', false, SopClassUid.VLEndoscopicImageStorage],
    ['endoscopy', 'video', false, SopClassUid.VideoEndoscopicImageStorage],
    ['dermatology', 'still', true, SopClassUid.DermoscopicPhotographyImageStorage],
    ['dermatology', 'still', false, SopClassUid.VLPhotographicImageStorage],
    ['woundcare', 'still', false, SopClassUid.VLPhotographicImageStorage],
    ['general', 'video', false, SopClassUid.VideoPhotographicImageStorage],
    ['endoscopy', 'document', false, SopClassUid.EncapsulatedPDFStorage],
  ] as const)('%s + %s (dermoscope %s) → %s', (department, medium, dermoscope, uid) => {
    expect(chooseSopClass(department, medium, { dermoscope }).sopClassUid).toBe(uid);
  });
});

describe('UIDs', () => {
  it('2.25 UUID-derived, valid and unique', () => {
    const uids = Array.from({ length: 100 }, newUid);
    expect(new Set(uids).size).toBe(100);
    for (const uid of uids) {
      expect(uid.startsWith('2.25.')).toBe(true);
      expect(isValidUid(uid)).toBe(true);
    }
  });
});

describe('anatomy data', () => {
  it('every region is a unique SNOMED CT code; paired regions are the limbs and paired organs', () => {
    expect(new Set(ANATOMIC_REGIONS.map((r) => r.code)).size).toBe(ANATOMIC_REGIONS.length);
    expect(findRegion('85562004')).toMatchObject({ meaning: 'Hand', paired: true });
    expect(findRegion('818981001')).toMatchObject({ meaning: 'Abdomen', paired: false });
  });
});

describe('values', () => {
  it('PN keeps all three component groups; absent names are empty', () => {
    expect(personName({ alphabetic: 'A^B', ideographic: '甲^乙', phonetic: 'こう^おつ' })).toEqual([
      { Alphabetic: 'A^B', Ideographic: '甲^乙', Phonetic: 'こう^おつ' },
    ]);
    expect(personName(undefined)).toBe('');
  });

  it('TM and DT carry milliseconds and the UTC offset', () => {
    const at = new Date(2026, 0, 2, 3, 4, 5, 6);
    expect(dicomTime(at)).toBe('030405.006000');
    expect(dicomDateTime(at)).toMatch(/^20260102030405\.006000[+-]\d{4}$/);
  });

  it('photometric interpretation follows the JPEG components (PS3.5 8.2.1)', () => {
    expect(photometricFor(jpeg)).toBe('YBR_FULL_422');
    expect(photometricFor({ ...jpeg, chromaSubsampled: false })).toBe('YBR_FULL');
    expect(photometricFor({ ...jpeg, adobeRgb: true })).toBe('RGB');
    expect(photometricFor({ ...jpeg, components: 1 })).toBe('MONOCHROME2');
  });
});

describe('still plan', () => {
  it('one fragment, JPEG Baseline, lossy ratio, dermoscopy needs a region', () => {
    const context = unitContext({ region: { code: '14975008', laterality: 'R' } });
    const plan = buildStillPlan(context, sopClassForKind('photo'), {
      file: '/x.jpg',
      length: 1000,
      info: jpeg,
    });
    expect(plan.transferSyntaxUid).toBe(TransferSyntaxUid.JPEGBaseline8Bit);
    expect(plan.bulk).toEqual({
      kind: 'encapsulated',
      fragments: [{ file: '/x.jpg', start: 0, length: 1000 }],
    });
    expect(plan.dataset.LossyImageCompressionRatio).toEqual([921.6]);
    expect(plan.dataset.ImageLaterality).toBe('R');
    expect(() =>
      buildStillPlan(unitContext(), sopClassForKind('dermoscopy'), {
        file: '/x.jpg',
        length: 1000,
        info: jpeg,
      }),
    ).toThrow(/needs an anatomic region/);
  });
});

describe('video helpers', () => {
  it('switches to the fragmentable syntax above 2^32-2 bytes, refuses HEVC there', () => {
    expect(videoTransferSyntax(TransferSyntaxUid.MPEG4HP41, 1e9)).toBe(TransferSyntaxUid.MPEG4HP41);
    expect(videoTransferSyntax(TransferSyntaxUid.MPEG4HP41, 2 ** 32)).toBe(
      TransferSyntaxUid.MPEG4HP41F,
    );
    expect(videoTransferSyntax(TransferSyntaxUid.MPEG4HP422D, 2 ** 33)).toBe(
      TransferSyntaxUid.MPEG4HP422DF,
    );
    expect(() => videoTransferSyntax(TransferSyntaxUid.HEVCMP51, 2 ** 32)).toThrow(/fragmentable/);
  });

  it('one fragment for the plain syntax; even 1 GiB pieces for the fragmentable one', () => {
    expect(videoFragments('/v.mp4', 101, TransferSyntaxUid.MPEG4HP41)).toEqual([
      { file: '/v.mp4', start: 0, length: 101 },
    ]);
    const size = 2 * VIDEO_FRAGMENT_BYTES + 7;
    const pieces = videoFragments('/v.mp4', size, TransferSyntaxUid.MPEG4HP41F);
    expect(pieces.map((p) => p.length)).toEqual([VIDEO_FRAGMENT_BYTES, VIDEO_FRAGMENT_BYTES, 7]);
    expect(pieces.reduce((sum, p) => sum + p.length, 0)).toBe(size);
  });

  it('cine attributes from the stream timing', () => {
    const probe = {
      codec: 'h264',
      profile: 'High',
      level: 4.1,
      width: 1280,
      height: 720,
      frameRate: 25,
      frameCount: 250,
      durationSeconds: 10,
      byteLength: 1,
      fragmented: false,
      container: 'mp4' as const,
      // The video module is adding probe fields as it lands; a spread keeps this stub valid either way.
      ...{ truncated: false },
    };
    expect(cineAttributes(probe)).toMatchObject({
      NumberOfFrames: 250,
      FrameTime: 40,
      CineRate: 25,
      FrameIncrementPointer: 0x00181063,
    });
  });
});

describe('capture session numbering', () => {
  it('one study UID, study time = first capture, series per key, instances count up', () => {
    const session = new CaptureSession({
      patient: unitContext().patient,
      equipment: unitContext().equipment,
    });
    const t0 = new Date('2026-01-01T10:00:00Z');
    const t1 = new Date('2026-01-01T10:05:00Z');
    const a = session.next({ seriesKey: 'photo', capturedAt: t0 });
    const b = session.next({ seriesKey: 'photo', capturedAt: t1 });
    const c = session.next({ seriesKey: 'video', capturedAt: t1 });
    expect(isValidUid(session.studyInstanceUid)).toBe(true);
    expect(new Set([a, b, c].map((x) => x.study.studyInstanceUid)).size).toBe(1);
    expect(c.study.startedAt).toEqual(t0);
    expect([a.series.seriesNumber, b.series.seriesNumber, c.series.seriesNumber]).toEqual([
      1, 1, 2,
    ]);
    expect([a.instanceNumber, b.instanceNumber, c.instanceNumber]).toEqual([1, 2, 1]);
    expect(b.series.seriesInstanceUid).toBe(a.series.seriesInstanceUid);
    expect(b.capturedAt).toEqual(t1);
  });

  it('keeps the worklist study UID', () => {
    const session = new CaptureSession({
      patient: unitContext().patient,
      equipment: unitContext().equipment,
      study: { studyInstanceUid: '1.2.3', accessionNumber: 'A1' },
    });
    expect(session.next({ seriesKey: 'x', capturedAt: new Date() }).study).toMatchObject({
      studyInstanceUid: '1.2.3',
      accessionNumber: 'A1',
    });
  });
});
