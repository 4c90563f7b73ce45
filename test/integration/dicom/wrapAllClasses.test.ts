import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SopClassUid, TransferSyntaxUid } from '../../../main/core/dicom/uids';
import { wrapCapture } from '../../../main/core/dicom/wrapCapture';
import { prepareVideo } from '../../../main/core/video/prepareVideo';
import { KERNEL_COPY_MIN_BYTES } from '../../../main/core/fs/kernelCopy';
import type { CaptureKind } from '../../../main/core/dicom/sopClass';
import { expectValidDicom } from '../../services';
import {
  makeCameraJpeg,
  makeMp4,
  makePaddedMp4,
  makePdf,
  readBack,
  sampleContext,
} from './fixtures';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wrap-all-'));
  await Promise.all([
    makeCameraJpeg(join(dir, 'camera.jpg')),
    makePdf(join(dir, 'report.pdf')),
    makeMp4(join(dir, 'clip.mp4')),
  ]);
  // Large enough for the kernel copy into a page-aligned value (File Meta padding).
  await makePaddedMp4(join(dir, 'clip.mp4'), join(dir, 'large.mp4'), KERNEL_COPY_MIN_BYTES + 4321);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const CASES: ReadonlyArray<[CaptureKind, string, string, string]> = [
  ['photo', 'camera.jpg', SopClassUid.VLPhotographicImageStorage, 'XC'],
  ['endoscopy', 'camera.jpg', SopClassUid.VLEndoscopicImageStorage, 'ES'],
  ['dermoscopy', 'camera.jpg', SopClassUid.DermoscopicPhotographyImageStorage, 'DMS'],
  ['video-endoscopy', 'clip.mp4', SopClassUid.VideoEndoscopicImageStorage, 'ES'],
  ['video-photo', 'large.mp4', SopClassUid.VideoPhotographicImageStorage, 'XC'],
  ['pdf', 'report.pdf', SopClassUid.EncapsulatedPDFStorage, 'DOC'],
];

describe('wrapCapture writes valid instances of every SOP class', () => {
  it.each(CASES)(
    '%s → dciodvfy clean, values read back',
    async (kind, input, sopClass, modality) => {
      const context = sampleContext();
      const output = join(dir, `${kind}.dcm`);
      const result = await wrapCapture({
        input: join(dir, input),
        kind,
        context,
        output,
        prepareVideo,
      });
      expect(result.sopClassUid).toBe(sopClass);
      await expectValidDicom(output);

      const { meta, data } = await readBack(output);
      expect(meta.MediaStorageSOPClassUID).toBe(sopClass);
      expect(meta.TransferSyntaxUID).toBe(result.transferSyntaxUid);
      expect(data.SOPInstanceUID).toBe(result.sopInstanceUid);
      expect(data.SpecificCharacterSet).toBe('ISO_IR 192');
      expect(data.Modality).toBe(modality);
      expect(data.PatientName).toEqual([
        { Alphabetic: 'Yamada^Tarou', Ideographic: '山田^太郎', Phonetic: 'やまだ^たろう' },
      ]);
      expect(data.PatientID).toBe('MRN-0042');
      expect(data.IssuerOfPatientID).toBe('HOSP');
      expect(data.PatientBirthDate).toBe('19700101');
      expect(data.StudyInstanceUID).toBe(context.study.studyInstanceUid);
      expect(data.SeriesInstanceUID).toBe(context.series.seriesInstanceUid);
      expect(data.AccessionNumber).toBe('ACC123');
      expect(data.ReferringPhysicianName).toEqual([{ Alphabetic: 'Müller^Jürgen' }]);
      expect(data.InstitutionName).toBe('Hôpital Saint-Éloi');
      expect(data.StationName).toBe('WARD3-CART');
      expect(data.InstanceNumber).toBe(1);
      expect(data.StudyDescription).toBe('Contrôle de plaie');
      if (kind !== 'pdf') {
        expect(data.RequestAttributesSequence).toMatchObject([
          { RequestedProcedureID: 'RP1', RequestedProcedureDescription: 'Contrôle de plaie' },
        ]);
      }
      if (kind === 'pdf') return;
      expect(data.ImageComments).toBe('Plaie à J+3, bords propres');
      expect(data.ImageLaterality).toBe('L');
      expect(data.AnatomicRegionSequence).toMatchObject([
        { CodeValue: '14975008', CodingSchemeDesignator: 'SCT', CodeMeaning: 'Forearm' },
      ]);
      expect(data.Rows).toBe(480);
      expect(data.Columns).toBe(640);
    },
  );

  it.each(['photo', 'endoscopy'] as const)(
    '%s without a region is valid too (Image Laterality U)',
    async (kind) => {
      const output = join(dir, `${kind}-no-region.dcm`);
      const context = sampleContext({ region: undefined });
      await wrapCapture({ input: join(dir, 'camera.jpg'), kind, context, output });
      await expectValidDicom(output);
      expect((await readBack(output)).data.ImageLaterality).toBe('U');
    },
  );

  it('video without a region is refused (PS3.3 C.8.12.1 requires it), nothing written', async () => {
    const output = join(dir, 'video-no-region.dcm');
    const context = sampleContext({ region: undefined });
    await expect(
      wrapCapture({
        input: join(dir, 'clip.mp4'),
        kind: 'video-photo',
        context,
        output,
        prepareVideo,
      }),
    ).rejects.toThrow(/needs an anatomic region/);
    expect(await readdir(dir)).not.toContain('video-no-region.dcm');
  });

  it('video: frame count, frame time and cine rate match the stream; YBR_PARTIAL_420', async () => {
    const { data, meta } = await readBack(join(dir, 'video-endoscopy.dcm'));
    expect(meta.TransferSyntaxUID).toBe(TransferSyntaxUid.MPEG4HP41);
    expect(data.NumberOfFrames).toBe(60);
    expect(data.FrameTime).toBeCloseTo(33.333333, 5);
    expect(data.CineRate).toBe(30);
    expect(data.FrameIncrementPointer).toBe(0x00181063);
    expect(data.PhotometricInterpretation).toBe('YBR_PARTIAL_420');
  });

  it('a truncated MP4 is refused with the file named; nothing is written', async () => {
    const whole = await readFile(join(dir, 'clip.mp4'));
    const cut = join(dir, 'cut.mp4');
    await writeFile(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const output = join(dir, 'cut.dcm');
    await expect(
      wrapCapture({
        input: cut,
        kind: 'video-photo',
        context: sampleContext(),
        output,
        prepareVideo,
      }),
    ).rejects.toThrow(/cut\.mp4/);
    expect((await readdir(dir)).filter((n) => n === 'cut.dcm' || n.startsWith('.'))).toEqual([]);
  });

  it('a large PDF (copied in the kernel, value on a 64 KiB boundary) is valid and byte-identical', async () => {
    const input = join(dir, 'large.pdf');
    await makePdf(input, KERNEL_COPY_MIN_BYTES);
    const output = join(dir, 'large-pdf.dcm');
    const context = sampleContext({ documentTitle: 'Outside report' });
    await wrapCapture({ input, kind: 'pdf', context, output });
    await expectValidDicom(output);
    const { data, bytes } = await readBack(output);
    const pdf = await readFile(input);
    expect(data.EncapsulatedDocumentLength).toBe(pdf.length);
    const valueStart = bytes.indexOf(pdf.subarray(0, 64));
    expect(valueStart % 65536).toBe(0);
    expect(bytes.subarray(valueStart, valueStart + pdf.length).equals(pdf)).toBe(true);
  });

  it('pdf: document length and MIME type; the folder holds no temporary files', async () => {
    const { data } = await readBack(join(dir, 'pdf.dcm'));
    expect(data.MIMETypeOfEncapsulatedDocument).toBe('application/pdf');
    expect(data.ConversionType).toBe('WSD');
    expect((await readdir(dir)).filter((name) => name.startsWith('.'))).toEqual([]);
  });
});
