import { box, fullBox, u16, u32, u64 } from './boxWriter';
import { sampleTableBox } from './sampleTables';
import type { TrackSamples } from './sampleIndex';

/** What a single-video-track MP4 needs to say about its stream. */
export interface VideoTrackDescription {
  /** Four-character sample entry type: 'avc1' (ISO/IEC 14496-15 5.4.2) or 'hvc1' (8.4.1). */
  sampleEntry: string;
  /** The 'avcC' or 'hvcC' box type and its record, kept byte for byte. */
  configType: string;
  config: Buffer;
  width: number;
  height: number;
  timescale: number;
}

const TRACK_ID = 1;
const FIXED_ONE = 0x00010000;
/** ISO/IEC 14496-12 8.2.2: the unity matrix { 1, 0, 0, 0, 1, 0, 0, 0, 0x40000000 }. */
const UNITY_MATRIX = [FIXED_ONE, 0, 0, 0, FIXED_ONE, 0, 0, 0, 0x40000000];
const TKHD_ENABLED_IN_MOVIE = 0x000003;
const VMHD_NO_LEAN_AHEAD = 0x000001;
const DREF_SELF_CONTAINED = 0x000001;
/** ISO 639-2/T 'und' packed as three 5-bit letters (8.4.2). */
const LANGUAGE_UNDETERMINED = 0x55c4;
const RESOLUTION_72_DPI = 0x00480000;
const DEPTH_COLOUR = 0x0018;
const PRE_DEFINED_MINUS_ONE = 0xffff;

const matrix = () => Buffer.concat(UNITY_MATRIX.map(u32));
const zeros = (length: number) => Buffer.alloc(length);

/** 8.2.2 MovieHeaderBox, version 1. */
function mvhd(timescale: number, duration: number): Buffer {
  const rateVolume = Buffer.concat([u32(FIXED_ONE), u16(0x0100), zeros(10)]);
  const tail = Buffer.concat([matrix(), zeros(24), u32(TRACK_ID + 1)]);
  return fullBox('mvhd', 1, 0, u64(0), u64(0), u32(timescale), u64(duration), rateVolume, tail);
}

/** 8.3.2 TrackHeaderBox, version 1; width and height as 16.16 fixed point. */
function tkhd(duration: number, width: number, height: number): Buffer {
  const times = Buffer.concat([u64(0), u64(0), u32(TRACK_ID), zeros(4), u64(duration)]);
  const layout = Buffer.concat([zeros(8), u16(0), u16(0), u16(0), zeros(2), matrix()]);
  return fullBox(
    'tkhd',
    1,
    TKHD_ENABLED_IN_MOVIE,
    times,
    layout,
    u32(width * FIXED_ONE),
    u32(height * FIXED_ONE),
  );
}

/** 8.4.2 MediaHeaderBox, version 1. */
function mdhd(timescale: number, duration: number): Buffer {
  return fullBox(
    'mdhd',
    1,
    0,
    u64(0),
    u64(0),
    u32(timescale),
    u64(duration),
    u16(LANGUAGE_UNDETERMINED),
    u16(0),
  );
}

/** 8.4.3 HandlerBox for video. */
function hdlr(): Buffer {
  const name = Buffer.from('VideoHandler\0', 'latin1');
  return fullBox('hdlr', 0, 0, zeros(4), Buffer.from('vide', 'latin1'), zeros(12), name);
}

/** 8.4.5.2 VideoMediaHeaderBox and 8.7.1/8.7.2 DataInformationBox with a self-contained 'url '. */
function mediaHeaderAndData(): Buffer[] {
  const vmhd = fullBox('vmhd', 0, VMHD_NO_LEAN_AHEAD, u16(0), zeros(6));
  const dref = fullBox('dref', 0, 0, u32(1), fullBox('url ', 0, DREF_SELF_CONTAINED));
  return [vmhd, box('dinf', dref)];
}

/** 8.5.2 SampleDescriptionBox with one 12.1.3 VisualSampleEntry carrying the decoder config. */
export function visualSampleDescription(track: VideoTrackDescription): Buffer {
  const entry = box(
    track.sampleEntry,
    zeros(6),
    u16(1), // data_reference_index
    zeros(16), // pre_defined, reserved, pre_defined[3]
    u16(track.width),
    u16(track.height),
    u32(RESOLUTION_72_DPI),
    u32(RESOLUTION_72_DPI),
    zeros(4),
    u16(1), // frame_count
    zeros(32), // compressorname
    u16(DEPTH_COLOUR),
    u16(PRE_DEFINED_MINUS_ONE),
    box(track.configType, track.config),
  );
  return fullBox('stsd', 0, 0, u32(1), entry);
}

/** A complete 'moov' (8.2.1) for one video track whose samples are `samples`. */
export function newVideoMovie(
  track: VideoTrackDescription,
  samples: TrackSamples,
  wideOffsets: boolean,
): Buffer {
  const duration = samples.totalDuration;
  const stbl = sampleTableBox(visualSampleDescription(track), samples, wideOffsets);
  const minf = box('minf', ...mediaHeaderAndData(), stbl);
  const mdia = box('mdia', mdhd(track.timescale, duration), hdlr(), minf);
  const trak = box('trak', tkhd(duration, track.width, track.height), mdia);
  return box('moov', mvhd(track.timescale, duration), trak);
}
