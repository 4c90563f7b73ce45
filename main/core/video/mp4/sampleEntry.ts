import { VideoFormatError } from '../VideoRefusedError';
import { Cursor } from './Cursor';
import { children, findChild, payload, type MemoryBox } from './boxes';

/** Codec identity of a video sample entry. */
export interface CodecInfo {
  codec: string;
  profile: string;
  level: number;
  width: number;
  height: number;
}

/**
 * ISO/IEC 14496-12 8.5.2 SampleEntry (6 reserved bytes, data_reference_index) followed by
 * 12.1.3 VisualSampleEntry: pre_defined/reserved (16 bytes), width, height, resolutions,
 * frame_count, compressorname (32), depth, pre_defined = 70 bytes before the child boxes.
 */
const SAMPLE_ENTRY_BYTES = 8;
const VISUAL_WIDTH_OFFSET = SAMPLE_ENTRY_BYTES + 16;
const VISUAL_ENTRY_BYTES = SAMPLE_ENTRY_BYTES + 70;

const CODEC_OF_ENTRY: Readonly<Record<string, string>> = {
  avc1: 'h264',
  avc3: 'h264',
  hvc1: 'hevc',
  hev1: 'hevc',
  vp08: 'vp8',
  vp09: 'vp9',
  av01: 'av1',
  mp4v: 'mpeg4',
};

/** ITU-T H.264 A.2: profile_idc values and names. */
const H264_PROFILES: Readonly<Record<number, string>> = {
  66: 'Baseline',
  77: 'Main',
  88: 'Extended',
  100: 'High',
  110: 'High 10',
  122: 'High 4:2:2',
  244: 'High 4:4:4 Predictive',
  44: 'CAVLC 4:4:4 Intra',
};
const H264_BASELINE = 66;
/** constraint_set flags live in the avcC profile_compatibility byte, set0 in the top bit. */
const CONSTRAINT_SET1 = 0x40;
const CONSTRAINT_SET3 = 0x10;
/** H.264 A.3.1: level_idc 9 (or 11 with constraint_set3 in Baseline/Main) is Level 1b. */
const H264_LEVEL_1B_IDC = 9;
const H264_LEVEL_1B = 1.05;
const H264_LEVEL_DIVISOR = 10;

/** ITU-T H.265 A.3: general_profile_idc values and names. */
const HEVC_PROFILES: Readonly<Record<number, string>> = {
  1: 'Main',
  2: 'Main 10',
  3: 'Main Still Picture',
  4: 'Format Range Extensions',
};
/** H.265 A.4.1: general_level_idc is 30 times the level number. */
const HEVC_LEVEL_DIVISOR = 30;

/**
 * Profile name as ffprobe and receivers say it: Constrained Baseline is told apart (constraint_set1),
 * but profile_idc 100 stays "High" even with constraint_set4/5 (Progressive/Constrained High, which
 * Chromium's MediaRecorder signals), since those are subsets of High that any High decoder takes.
 */
function h264Profile(profileIdc: number, compatibility: number): string {
  const name = H264_PROFILES[profileIdc] ?? `profile_idc ${profileIdc}`;
  if (profileIdc === H264_BASELINE && compatibility & CONSTRAINT_SET1)
    return 'Constrained Baseline';
  return name;
}

function h264Level(levelIdc: number, profileIdc: number, compatibility: number): number {
  const isBaseOrMain = profileIdc === H264_BASELINE || profileIdc === 77;
  if (levelIdc === H264_LEVEL_1B_IDC) return H264_LEVEL_1B;
  if (levelIdc === 11 && isBaseOrMain && compatibility & CONSTRAINT_SET3) return H264_LEVEL_1B;
  return levelIdc / H264_LEVEL_DIVISOR;
}

/** ISO/IEC 14496-15 5.3.3.1 AVCDecoderConfigurationRecord ('avcC'). */
export function parseAvcC(record: Buffer): { profile: string; level: number } {
  const cursor = new Cursor(record, 'avcC');
  cursor.u8(); // configurationVersion
  const profileIdc = cursor.u8();
  const compatibility = cursor.u8();
  const levelIdc = cursor.u8();
  return {
    profile: h264Profile(profileIdc, compatibility),
    level: h264Level(levelIdc, profileIdc, compatibility),
  };
}

/** ISO/IEC 14496-15 8.3.3.1 HEVCDecoderConfigurationRecord ('hvcC'). */
export function parseHvcC(record: Buffer): { profile: string; level: number } {
  const cursor = new Cursor(record, 'hvcC');
  cursor.u8(); // configurationVersion
  let profileIdc = cursor.u8() & 0x1f; // general_profile_space(2) tier(1) profile_idc(5)
  const compatibility = cursor.u32(); // general_profile_compatibility_flags, flag j at bit 31-j
  cursor.skip(6); // general_constraint_indicator_flags
  const levelIdc = cursor.u8();
  if (profileIdc === 0) {
    // H.265 A.3: a stream may signal its profile only through the compatibility flags.
    for (let j = 1; j <= 4 && profileIdc === 0; j++)
      if (compatibility & (1 << (31 - j))) profileIdc = j;
  }
  return {
    profile: HEVC_PROFILES[profileIdc] ?? `general_profile_idc ${profileIdc}`,
    level: levelIdc / HEVC_LEVEL_DIVISOR,
  };
}

/** Reads codec, profile, level and size from the first entry of an 'stsd' box (8.5.2). */
export function parseVideoSampleEntry(stsd: MemoryBox): CodecInfo {
  const entries = children(stsd, 8); // FullBox header (4) + entry_count (4)
  const entry = entries[0];
  if (entry === undefined) throw new VideoFormatError("corrupt: 'stsd' box has no sample entry");
  const codec = CODEC_OF_ENTRY[entry.type] ?? entry.type;
  const body = payload(entry);
  if (body.length < VISUAL_ENTRY_BYTES) {
    throw new VideoFormatError(`corrupt: '${entry.type}' sample entry is too short`);
  }
  const width = body.readUInt16BE(VISUAL_WIDTH_OFFSET);
  const height = body.readUInt16BE(VISUAL_WIDTH_OFFSET + 2);
  const info: CodecInfo = { codec, profile: '', level: 0, width, height };
  const config = { ...entry, payloadStart: entry.payloadStart + VISUAL_ENTRY_BYTES };
  if (codec === 'h264') {
    const avcC = findChild(config, 'avcC');
    if (avcC === undefined) throw new VideoFormatError(`corrupt: '${entry.type}' has no 'avcC'`);
    return { ...info, ...parseAvcC(payload(avcC)) };
  }
  if (codec === 'hevc') {
    const hvcC = findChild(config, 'hvcC');
    if (hvcC === undefined) throw new VideoFormatError(`corrupt: '${entry.type}' has no 'hvcC'`);
    return { ...info, ...parseHvcC(payload(hvcC)) };
  }
  return info;
}
