import type { NaturalDataset } from 'dcmjs';
import type { CaptureContext } from '../context';
import { dicomDate, dicomDateTime, dicomTime } from '../dicomDateTime';
import { MAX_FRAGMENT_BYTES } from '../part10/encapsulation';
import type { ByteRange, InstancePlan } from '../part10/writePart10';
import type { SopClassChoice } from '../sopClass';
import { TransferSyntaxUid, newUid } from '../uids';
import type { PreparedVideo, VideoProbe } from '../videoTypes';
import { anatomyAttributes } from './anatomyModule';
import { commonModules } from './commonModules';

/** Fragment size for fragmentable syntaxes: even, well under 2^32-2, friendly to 32-bit readers. */
export const VIDEO_FRAGMENT_BYTES = 2 ** 30;

/** (0018,1063) Frame Time, the attribute Frame Increment Pointer names (PS3.3 C.7.6.5). */
const FRAME_TIME_TAG = 0x00181063;

/** PS3.5 8.2.7: each MPEG-4 AVC syntax and its fragmentable variant (Table A-1). */
const FRAGMENTABLE: Readonly<Record<string, string>> = {
  [TransferSyntaxUid.MPEG4HP41]: TransferSyntaxUid.MPEG4HP41F,
  [TransferSyntaxUid.MPEG4HP41BD]: TransferSyntaxUid.MPEG4HP41BDF,
  [TransferSyntaxUid.MPEG4HP422D]: TransferSyntaxUid.MPEG4HP422DF,
  [TransferSyntaxUid.MPEG4HP423D]: TransferSyntaxUid.MPEG4HP423DF,
  [TransferSyntaxUid.MPEG4HP42Stereo]: TransferSyntaxUid.MPEG4HP42StereoF,
};
const FRAGMENTABLE_SYNTAXES = new Set(Object.values(FRAGMENTABLE));

/**
 * The transfer syntax to write: the one the video module chose, switched to its fragmentable
 * variant when the stream does not fit one fragment (2^32-2 bytes). Throws when no fragmentable
 * variant is registered (HEVC: .107.1/.108.1 are not in PS3.6 Table A-1).
 */
export function videoTransferSyntax(chosen: string, byteLength: number): string {
  if (byteLength <= MAX_FRAGMENT_BYTES || FRAGMENTABLE_SYNTAXES.has(chosen)) return chosen;
  const fragmentable = FRAGMENTABLE[chosen];
  if (!fragmentable) {
    throw new RangeError(
      `a ${byteLength}-byte stream needs a fragmentable transfer syntax and ${chosen} has none`,
    );
  }
  return fragmentable;
}

/** PS3.5 8.2.7: one fragment for the whole stream, or ≤ 1 GiB pieces for a fragmentable syntax. */
export function videoFragments(file: string, byteLength: number, syntax: string): ByteRange[] {
  if (!FRAGMENTABLE_SYNTAXES.has(syntax)) return [{ file, start: 0, length: byteLength }];
  const fragments: ByteRange[] = [];
  for (let start = 0; start < byteLength; start += VIDEO_FRAGMENT_BYTES) {
    fragments.push({ file, start, length: Math.min(VIDEO_FRAGMENT_BYTES, byteLength - start) });
  }
  return fragments;
}

/** PS3.3 C.7.6.5 Cine and C.7.6.6 Multi-frame Modules, from the stream's own timing. */
export function cineAttributes(probe: VideoProbe): NaturalDataset {
  const frameTimeMs = 1000 / probe.frameRate;
  return {
    NumberOfFrames: probe.frameCount,
    FrameIncrementPointer: FRAME_TIME_TAG,
    FrameTime: Number(frameTimeMs.toFixed(6)),
    CineRate: Math.round(probe.frameRate),
    RecommendedDisplayFrameRate: Math.round(probe.frameRate),
    ActualFrameDuration: Math.round(frameTimeMs),
  };
}

/** PS3.3 C.7.6.3 Image Pixel for MPEG-4 AVC / HEVC (PS3.5 8.2.7: YBR_PARTIAL_420, 8-bit). */
function videoPixel(probe: VideoProbe, syntax: string): NaturalDataset {
  const main10 = syntax === TransferSyntaxUid.HEVCM10P51;
  return {
    SamplesPerPixel: 3,
    PhotometricInterpretation: 'YBR_PARTIAL_420',
    PlanarConfiguration: 0,
    Rows: probe.height,
    Columns: probe.width,
    BitsAllocated: main10 ? 16 : 8,
    BitsStored: main10 ? 10 : 8,
    HighBit: main10 ? 9 : 7,
    PixelRepresentation: 0,
    LossyImageCompression: '01',
    LossyImageCompressionMethod: [probe.codec === 'hevc' ? 'ISO_23008_2' : 'ISO_14496_10'],
  };
}

function videoImage(context: CaptureContext): NaturalDataset {
  return {
    ImageType: ['ORIGINAL', 'PRIMARY'],
    ContentDate: dicomDate(context.capturedAt),
    ContentTime: dicomTime(context.capturedAt),
    AcquisitionDateTime: dicomDateTime(context.capturedAt),
    PatientOrientation: '',
    AcquisitionContextSequence: [],
    ...(context.notes ? { ImageComments: context.notes } : {}),
  };
}

/**
 * Plans a Video Endoscopic (PS3.3 A.32.5) or Video Photographic (A.32.7) instance around the MP4
 * the video module prepared: the whole stream as the encapsulated Pixel Data, an empty Basic Offset
 * Table (PS3.5 8.2.7). Pure: nothing is read or written. Throws ContextError when the region is missing or bad.
 */
export function buildVideoPlan(
  context: CaptureContext,
  sop: SopClassChoice,
  video: PreparedVideo,
): InstancePlan {
  const { probe } = video;
  const syntax = videoTransferSyntax(video.transferSyntaxUid, probe.byteLength);
  return {
    sopClassUid: sop.sopClassUid,
    sopInstanceUid: context.sopInstanceUid ?? newUid(),
    transferSyntaxUid: syntax,
    sourceAeTitle: context.equipment.aeTitle,
    dataset: {
      ...commonModules(context, sop),
      ...videoImage(context),
      ...cineAttributes(probe),
      ...videoPixel(probe, syntax),
      // PS3.3 C.8.12.1: Anatomic Region Sequence is required for the video IODs.
      ...anatomyAttributes(context, { regionRequired: true }),
    },
    bulk: { kind: 'encapsulated', fragments: videoFragments(video.file, probe.byteLength, syntax) },
  };
}
