import type { VideoProbe } from './types';

/**
 * Video transfer syntaxes, PS3.5 8.2.7 (MPEG-2), 8.2.8 (MPEG-4 AVC/H.264), 8.2.9 (HEVC/H.265);
 * UIDs from PS3.6 Table A-1. The ".1" variants are the Fragmentable ones: the stream may span several
 * Pixel Data fragments, needed once it exceeds one fragment's maximum length (2^32-2 bytes).
 * PS3.6 registers no fragmentable HEVC variant.
 */
export const VideoTransferSyntax = {
  MPEG2MainProfileMainLevel: '1.2.840.10008.1.2.4.100',
  FragmentableMPEG2MainProfileMainLevel: '1.2.840.10008.1.2.4.100.1',
  MPEG2MainProfileHighLevel: '1.2.840.10008.1.2.4.101',
  FragmentableMPEG2MainProfileHighLevel: '1.2.840.10008.1.2.4.101.1',
  MPEG4AVCH264HighProfileLevel41: '1.2.840.10008.1.2.4.102',
  FragmentableMPEG4AVCH264HighProfileLevel41: '1.2.840.10008.1.2.4.102.1',
  MPEG4AVCH264BDCompatibleHighProfileLevel41: '1.2.840.10008.1.2.4.103',
  FragmentableMPEG4AVCH264BDCompatibleHighProfileLevel41: '1.2.840.10008.1.2.4.103.1',
  MPEG4AVCH264HighProfileLevel42For2DVideo: '1.2.840.10008.1.2.4.104',
  FragmentableMPEG4AVCH264HighProfileLevel42For2DVideo: '1.2.840.10008.1.2.4.104.1',
  MPEG4AVCH264HighProfileLevel42For3DVideo: '1.2.840.10008.1.2.4.105',
  FragmentableMPEG4AVCH264HighProfileLevel42For3DVideo: '1.2.840.10008.1.2.4.105.1',
  MPEG4AVCH264StereoHighProfileLevel42: '1.2.840.10008.1.2.4.106',
  FragmentableMPEG4AVCH264StereoHighProfileLevel42: '1.2.840.10008.1.2.4.106.1',
  HEVCH265MainProfileLevel51: '1.2.840.10008.1.2.4.107',
  HEVCH265Main10ProfileLevel51: '1.2.840.10008.1.2.4.108',
} as const;

/** PS3.5 A.4: an encapsulated fragment's length is even and below 2^32-1, so at most 2^32-2 bytes. */
export const MAX_SINGLE_FRAGMENT_BYTES = 2 ** 32 - 2;

/**
 * Measured frame rates of variable-timing recordings (Chromium MediaRecorder) wobble around the
 * nominal rate; a nominal 30 fps stream may measure 30.3. Accept up to 2 % above a limit.
 */
const FRAME_RATE_TOLERANCE = 1.02;

interface SyntaxRule {
  uid: string;
  fragmentableUid: string | null;
  name: string;
  codec: 'h264' | 'hevc';
  profiles: readonly string[];
  maxLevel: number;
  maxWidth: number;
  maxHeight: number;
  /** Frame-rate ceiling for frames larger than 1280x720, and for 1280x720 or smaller. */
  maxFrameRateLarge: number;
  maxFrameRateSmall: number;
}

/** H.264 High, profile_idc 100, with or without constraint_set4/5 (ITU-T H.264 A.2.4-A.2.4.2). */
const H264_HIGH_PROFILES = ['High'] as const;
const HD_720_PIXELS = 1280 * 720;

/**
 * Preference order: the first rule a stream satisfies wins. Limits follow PS3.5 8.2.8 (Table 8.2.8-1:
 * Level 4.1 carries at most 1920x1080 at 30 frames/s, 1280x720 at up to 60; Level 4.2 for 2D video
 * adds 1920x1080 at up to 60) and 8.2.9 (HEVC Main / Main 10 at Level 5.1: up to 4096x2160 at 60).
 */
const RULES: readonly SyntaxRule[] = [
  {
    uid: VideoTransferSyntax.MPEG4AVCH264HighProfileLevel41,
    fragmentableUid: VideoTransferSyntax.FragmentableMPEG4AVCH264HighProfileLevel41,
    name: 'H.264 High Profile / Level 4.1',
    codec: 'h264',
    profiles: H264_HIGH_PROFILES,
    maxLevel: 4.1,
    maxWidth: 1920,
    maxHeight: 1080,
    maxFrameRateLarge: 30,
    maxFrameRateSmall: 60,
  },
  {
    uid: VideoTransferSyntax.MPEG4AVCH264HighProfileLevel42For2DVideo,
    fragmentableUid: VideoTransferSyntax.FragmentableMPEG4AVCH264HighProfileLevel42For2DVideo,
    name: 'H.264 High Profile / Level 4.2 For 2D Video',
    codec: 'h264',
    profiles: H264_HIGH_PROFILES,
    maxLevel: 4.2,
    maxWidth: 1920,
    maxHeight: 1080,
    maxFrameRateLarge: 60,
    maxFrameRateSmall: 60,
  },
  {
    uid: VideoTransferSyntax.HEVCH265MainProfileLevel51,
    fragmentableUid: null,
    name: 'HEVC/H.265 Main Profile / Level 5.1',
    codec: 'hevc',
    profiles: ['Main'],
    maxLevel: 5.1,
    maxWidth: 4096,
    maxHeight: 2160,
    maxFrameRateLarge: 60,
    maxFrameRateSmall: 60,
  },
  {
    uid: VideoTransferSyntax.HEVCH265Main10ProfileLevel51,
    fragmentableUid: null,
    name: 'HEVC/H.265 Main 10 Profile / Level 5.1',
    codec: 'hevc',
    profiles: ['Main 10'],
    maxLevel: 5.1,
    maxWidth: 4096,
    maxHeight: 2160,
    maxFrameRateLarge: 60,
    maxFrameRateSmall: 60,
  },
];

/** Why `probe` falls outside `rule`, or null when the stream satisfies it. */
function mismatch(rule: SyntaxRule, probe: VideoProbe): string | null {
  if (probe.codec !== rule.codec) return `codec ${probe.codec}`;
  if (!rule.profiles.includes(probe.profile)) return `profile ${probe.profile || 'unknown'}`;
  if (!(probe.level > 0 && probe.level <= rule.maxLevel))
    return `level ${probe.level || 'unknown'}`;
  if (probe.width > rule.maxWidth || probe.height > rule.maxHeight) {
    return `size ${probe.width}x${probe.height} above ${rule.maxWidth}x${rule.maxHeight}`;
  }
  const small = probe.width * probe.height <= HD_720_PIXELS;
  const maxRate = small ? rule.maxFrameRateSmall : rule.maxFrameRateLarge;
  if (!(probe.frameRate > 0) || probe.frameRate > maxRate * FRAME_RATE_TOLERANCE) {
    return `frame rate ${probe.frameRate.toFixed(2)} above ${maxRate} at ${probe.width}x${probe.height}`;
  }
  return null;
}

/**
 * The transfer syntax the stream really satisfies (PS3.5 8.2.8/8.2.9), choosing the Fragmentable
 * variant when the MP4 exceeds one fragment; otherwise `{ reencode }` with the reason no syntax
 * admits it (e.g. H.264 Baseline, VP8, 4K H.264, a fragmented container).
 */
export function chooseTransferSyntax(probe: VideoProbe): { uid: string } | { reencode: string } {
  if (probe.container !== 'mp4') {
    return { reencode: `${probe.container} container: DICOM video syntaxes carry MP4` };
  }
  const tooBig = probe.byteLength > MAX_SINGLE_FRAGMENT_BYTES;
  const reasons: string[] = [];
  for (const rule of RULES) {
    const why = mismatch(rule, probe);
    if (why !== null) {
      if (rule.codec === probe.codec) reasons.push(`${rule.name}: ${why}`);
      continue;
    }
    if (!tooBig) return { uid: rule.uid };
    if (rule.fragmentableUid !== null) return { uid: rule.fragmentableUid };
    reasons.push(
      `${rule.name}: ${probe.byteLength} bytes exceed one fragment, no fragmentable variant`,
    );
  }
  const detail = reasons.length > 0 ? reasons.join('; ') : `codec ${probe.codec} has no syntax`;
  return { reencode: `no DICOM video transfer syntax admits this stream (${detail})` };
}
