import type { NaturalDataset } from 'dcmjs';
import type { CaptureContext } from '../context';
import { dicomDate, dicomDateTime, dicomTime } from '../dicomDateTime';
import type { JpegInfo } from '../inputs/jpegInfo';
import type { InstancePlan } from '../part10/writePart10';
import type { SopClassChoice } from '../sopClass';
import { TransferSyntaxUid, newUid } from '../uids';
import { anatomyAttributes } from './anatomyModule';
import { commonModules } from './commonModules';
import { dermoscopicImageModule } from './dermoscopy';

/** A JPEG Baseline stream on disk, as prepareStill() returns it. */
export interface StillSource {
  readonly file: string;
  readonly length: number;
  readonly info: JpegInfo;
  readonly reencodedBecause?: string;
}

/**
 * PS3.5 8.2.1: a JPEG whose components are YCbCr is labelled YBR_FULL_422 when chroma is
 * subsampled and YBR_FULL otherwise; Adobe-marked RGB stays RGB; one component is MONOCHROME2.
 */
export function photometricFor(info: JpegInfo): string {
  if (info.components === 1) return 'MONOCHROME2';
  if (info.adobeRgb) return 'RGB';
  return info.chromaSubsampled ? 'YBR_FULL_422' : 'YBR_FULL';
}

/** PS3.3 C.7.6.3 Image Pixel Module for 8-bit JPEG Baseline. */
function imagePixel(info: JpegInfo): NaturalDataset {
  return {
    SamplesPerPixel: info.components,
    PhotometricInterpretation: photometricFor(info),
    Rows: info.rows,
    Columns: info.columns,
    BitsAllocated: 8,
    BitsStored: 8,
    HighBit: 7,
    PixelRepresentation: 0,
    ...(info.components > 1 ? { PlanarConfiguration: 0 } : {}),
  };
}

/** PS3.3 C.7.6.1.1.5 Lossy Image Compression, with ratio and method (ISO_10918_1 = JPEG). */
function lossyCompression(still: StillSource): NaturalDataset {
  const { rows, columns, components } = still.info;
  const ratio = (rows * columns * components) / Math.max(1, still.length);
  return {
    LossyImageCompression: '01',
    LossyImageCompressionRatio: [Number(ratio.toFixed(2))],
    LossyImageCompressionMethod: ['ISO_10918_1'],
  };
}

/** PS3.3 C.8.12.1 VL Image Module plus the General Image and Acquisition Context attributes. */
function vlImage(context: CaptureContext, still: StillSource): NaturalDataset {
  const derived = still.reencodedBecause !== undefined;
  return {
    ImageType: [derived ? 'DERIVED' : 'ORIGINAL', 'PRIMARY'],
    ...(derived
      ? { DerivationDescription: `Re-encoded as JPEG Baseline: ${still.reencodedBecause}` }
      : {}),
    ContentDate: dicomDate(context.capturedAt),
    ContentTime: dicomTime(context.capturedAt),
    AcquisitionDateTime: dicomDateTime(context.capturedAt),
    PatientOrientation: '',
    AcquisitionContextSequence: [],
    ...(context.notes ? { ImageComments: context.notes } : {}),
  };
}

/**
 * Plans a VL Photographic, VL Endoscopic or Dermoscopic Photography instance around a JPEG Baseline
 * stream: one fragment, the camera's bytes unchanged (PS3.5 A.4, 8.2.1). Pure: nothing is read or
 * written. Throws ContextError for an unknown region or a paired region without laterality.
 */
export function buildStillPlan(
  context: CaptureContext,
  sop: SopClassChoice,
  still: StillSource,
): InstancePlan {
  const dermoscopy = sop.kind === 'dermoscopy';
  return {
    sopClassUid: sop.sopClassUid,
    sopInstanceUid: context.sopInstanceUid ?? newUid(),
    transferSyntaxUid: TransferSyntaxUid.JPEGBaseline8Bit,
    sourceAeTitle: context.equipment.aeTitle,
    dataset: {
      ...commonModules(context, sop),
      ...vlImage(context, still),
      ...imagePixel(still.info),
      ...lossyCompression(still),
      ...anatomyAttributes(context, { regionRequired: dermoscopy }),
      ...(dermoscopy ? dermoscopicImageModule(context) : {}),
    },
    bulk: {
      kind: 'encapsulated',
      fragments: [{ file: still.file, start: 0, length: still.length }],
    },
  };
}
