import { randomUUID } from 'node:crypto';

/** Storage SOP Classes the station produces (PS3.4 B.5, PS3.6 Annex A). */
export const SopClassUid = {
  VLEndoscopicImageStorage: '1.2.840.10008.5.1.4.1.1.77.1.1',
  VideoEndoscopicImageStorage: '1.2.840.10008.5.1.4.1.1.77.1.1.1',
  VLPhotographicImageStorage: '1.2.840.10008.5.1.4.1.1.77.1.4',
  VideoPhotographicImageStorage: '1.2.840.10008.5.1.4.1.1.77.1.4.1',
  DermoscopicPhotographyImageStorage: '1.2.840.10008.5.1.4.1.1.77.1.7',
  EncapsulatedPDFStorage: '1.2.840.10008.5.1.4.1.1.104.1',
} as const;
export type SopClassUid = (typeof SopClassUid)[keyof typeof SopClassUid];

/** Transfer syntaxes (PS3.5 Section 10 and Annex A; PS3.6 Annex A). */
export const TransferSyntaxUid = {
  ExplicitVRLittleEndian: '1.2.840.10008.1.2.1',
  /** PS3.5 A.4.1: JPEG Baseline (Process 1), 8-bit lossy. */
  JPEGBaseline8Bit: '1.2.840.10008.1.2.4.50',
  /** PS3.5 8.2.7 / A.4.8: H.264 High Profile Level 4.1. */
  MPEG4HP41: '1.2.840.10008.1.2.4.102',
  MPEG4HP41BD: '1.2.840.10008.1.2.4.103',
  MPEG4HP422D: '1.2.840.10008.1.2.4.104',
  MPEG4HP423D: '1.2.840.10008.1.2.4.105',
  MPEG4HP42Stereo: '1.2.840.10008.1.2.4.106',
  /** PS3.5 8.2.8: HEVC Main / Main 10 Profile, Level 5.1. */
  HEVCMP51: '1.2.840.10008.1.2.4.107',
  HEVCM10P51: '1.2.840.10008.1.2.4.108',
  /** Fragmentable variants (PS3.5 8.2.7, 8.2.8): the stream may span several fragments. */
  MPEG4HP41F: '1.2.840.10008.1.2.4.102.1',
  MPEG4HP41BDF: '1.2.840.10008.1.2.4.103.1',
  MPEG4HP422DF: '1.2.840.10008.1.2.4.104.1',
  MPEG4HP423DF: '1.2.840.10008.1.2.4.105.1',
  MPEG4HP42StereoF: '1.2.840.10008.1.2.4.106.1',
} as const;

/**
 * Identifies this implementation in the File Meta Information (PS3.10 7.1). A fixed UUID-derived
 * UID (PS3.5 B.2) so every build names itself the same way.
 */
export const IMPLEMENTATION_CLASS_UID = '2.25.262155880934263788434931040567362521577';
export const IMPLEMENTATION_VERSION_NAME = 'CAPSTATION_01';

/**
 * A new globally unique UID under the 2.25 root (PS3.5 B.2): the 128-bit value of a random
 * (version 4) UUID written as a decimal integer. At most 2 + 1 + 39 = 42 characters (limit 64).
 */
export function newUid(): string {
  const hex = randomUUID().replace(/-/g, '');
  return `2.25.${BigInt(`0x${hex}`).toString(10)}`;
}

/** PS3.5 9.1: components are digits without leading zeros, separated by dots, ≤ 64 chars. */
export function isValidUid(uid: string): boolean {
  return uid.length <= 64 && /^(0|[1-9]\d*)(\.(0|[1-9]\d*))*$/.test(uid);
}
