import { SopClassUid } from './uids';

/** What the operator captured, as the CLI names it (`wrap --kind`). */
export const CAPTURE_KINDS = [
  'photo',
  'endoscopy',
  'dermoscopy',
  'video-endoscopy',
  'video-photo',
  'pdf',
] as const;
export type CaptureKind = (typeof CAPTURE_KINDS)[number];

/** Departments as the station configuration names them (preload/contract.ts StationInfo). */
export type Department = 'endoscopy' | 'dermatology' | 'woundcare' | 'general';
/** The medium the capture produced. */
export type CaptureMedium = 'still' | 'video' | 'document';

export interface SopClassChoice {
  readonly kind: CaptureKind;
  readonly sopClassUid: string;
  /** PS3.3 C.7.3.1.1.1 Modality defined terms. */
  readonly modality: 'XC' | 'ES' | 'DMS' | 'DOC';
  readonly medium: CaptureMedium;
  readonly iodName: string;
}

const BY_KIND: Readonly<Record<CaptureKind, SopClassChoice>> = {
  // PS3.3 A.32.4 VL Photographic Image IOD
  photo: {
    kind: 'photo',
    sopClassUid: SopClassUid.VLPhotographicImageStorage,
    modality: 'XC',
    medium: 'still',
    iodName: 'VL Photographic Image',
  },
  // PS3.3 A.32.1 VL Endoscopic Image IOD
  endoscopy: {
    kind: 'endoscopy',
    sopClassUid: SopClassUid.VLEndoscopicImageStorage,
    modality: 'ES',
    medium: 'still',
    iodName: 'VL Endoscopic Image',
  },
  // PS3.3 A.32.11 Dermoscopic Photography Image IOD
  dermoscopy: {
    kind: 'dermoscopy',
    sopClassUid: SopClassUid.DermoscopicPhotographyImageStorage,
    modality: 'DMS',
    medium: 'still',
    iodName: 'Dermoscopic Photography Image',
  },
  // PS3.3 A.32.5 Video Endoscopic Image IOD
  'video-endoscopy': {
    kind: 'video-endoscopy',
    sopClassUid: SopClassUid.VideoEndoscopicImageStorage,
    modality: 'ES',
    medium: 'video',
    iodName: 'Video Endoscopic Image',
  },
  // PS3.3 A.32.7 Video Photographic Image IOD
  'video-photo': {
    kind: 'video-photo',
    sopClassUid: SopClassUid.VideoPhotographicImageStorage,
    modality: 'XC',
    medium: 'video',
    iodName: 'Video Photographic Image',
  },
  // PS3.3 A.45.1 Encapsulated PDF IOD
  pdf: {
    kind: 'pdf',
    sopClassUid: SopClassUid.EncapsulatedPDFStorage,
    modality: 'DOC',
    medium: 'document',
    iodName: 'Encapsulated PDF',
  },
};

export function sopClassForKind(kind: CaptureKind): SopClassChoice {
  return BY_KIND[kind];
}

export function isCaptureKind(value: string): value is CaptureKind {
  return (CAPTURE_KINDS as readonly string[]).includes(value);
}

/**
 * The one place that decides the SOP class of a capture from the station's department and what was
 * captured. Endoscopy rooms produce endoscopic images (ES); dermatology produces dermoscopic images
 * (DMS) when the still came through a dermoscope and clinical photos (XC) otherwise; wound care and
 * general photography produce VL Photographic (XC). Documents are always Encapsulated PDF.
 */
export function chooseSopClass(
  department: Department,
  medium: CaptureMedium,
  options: { dermoscope?: boolean } = {},
): SopClassChoice {
  if (medium === 'document') return BY_KIND.pdf;
  if (department === 'endoscopy') {
    return medium === 'video' ? BY_KIND['video-endoscopy'] : BY_KIND.endoscopy;
  }
  if (medium === 'video') return BY_KIND['video-photo'];
  return department === 'dermatology' && options.dermoscope === true
    ? BY_KIND.dermoscopy
    : BY_KIND.photo;
}
