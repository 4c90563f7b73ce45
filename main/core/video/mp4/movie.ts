import { VideoFormatError } from '../VideoRefusedError';
import { Cursor } from './Cursor';
import { children, findChild, payload, requireChild, type MemoryBox } from './boxes';

/** Defaults for samples in movie fragments, ISO/IEC 14496-12 8.8.3 TrackExtendsBox ('trex'). */
export interface TrackDefaults {
  sampleDescriptionIndex: number;
  duration: number;
  size: number;
  flags: number;
}

/** One 'trak' of the 'moov', with what the probe and the remuxer need. */
export interface TrackInfo {
  trak: MemoryBox;
  trackId: number;
  /** 8.4.3 HandlerBox handler_type: 'vide', 'soun', … */
  handler: string;
  /** 8.4.2 MediaHeaderBox. */
  timescale: number;
  stsd: MemoryBox;
  /** Samples described in the 'moov' itself (0 for an empty-moov fragmented file). */
  sampleCount: number;
  /** Sum of 'stts' deltas, in `timescale` units. */
  sampleDuration: number;
}

export interface MovieInfo {
  moov: MemoryBox;
  /** 8.2.2 MovieHeaderBox timescale. */
  timescale: number;
  tracks: TrackInfo[];
  /** Present when the movie has an 'mvex' box, i.e. may continue in movie fragments (8.8.1). */
  trackDefaults: Map<number, TrackDefaults> | null;
}

/** 8.2.2 'mvhd' / 8.4.2 'mdhd': version, creation and modification times, then timescale. */
function timescaleOf(box: MemoryBox): number {
  const cursor = new Cursor(payload(box), box.type);
  const { version } = cursor.fullBox();
  cursor.skip(version === 1 ? 16 : 8);
  const timescale = cursor.u32();
  if (timescale === 0) throw new VideoFormatError(`corrupt: '${box.type}' timescale is 0`);
  return timescale;
}

/** 8.3.2 'tkhd': track_ID follows the creation and modification times. */
function trackIdOf(tkhd: MemoryBox): number {
  const cursor = new Cursor(payload(tkhd), 'tkhd');
  const { version } = cursor.fullBox();
  cursor.skip(version === 1 ? 16 : 8);
  return cursor.u32();
}

/** 8.4.3 'hdlr': pre_defined (4) then handler_type. */
function handlerOf(hdlr: MemoryBox): string {
  const cursor = new Cursor(payload(hdlr), 'hdlr');
  cursor.fullBox();
  cursor.skip(4);
  return cursor.bytesOf(4).toString('latin1');
}

/** 8.6.1.2 'stts' TimeToSampleBox: run-length (sample_count, sample_delta) pairs. */
function timeToSampleTotals(stts: MemoryBox): { count: number; duration: number } {
  const cursor = new Cursor(payload(stts), 'stts');
  cursor.fullBox();
  const entries = cursor.u32();
  let count = 0;
  let duration = 0;
  for (let i = 0; i < entries; i++) {
    const run = cursor.u32();
    count += run;
    duration += run * cursor.u32();
  }
  return { count, duration };
}

/** 8.7.3 'stsz' SampleSizeBox (or 'stz2'): sample_count after the (default) size field. */
function sampleCountOf(stbl: MemoryBox): number {
  const stsz = findChild(stbl, 'stsz') ?? findChild(stbl, 'stz2');
  if (stsz === undefined) throw new VideoFormatError("corrupt: 'stbl' box has no 'stsz' box");
  const cursor = new Cursor(payload(stsz), stsz.type);
  cursor.fullBox();
  cursor.skip(4);
  return cursor.u32();
}

function parseTrack(trak: MemoryBox): TrackInfo {
  const mdia = requireChild(trak, 'mdia');
  const stbl = requireChild(mdia, 'minf', 'stbl');
  const totals = timeToSampleTotals(requireChild(stbl, 'stts'));
  return {
    trak,
    trackId: trackIdOf(requireChild(trak, 'tkhd')),
    handler: handlerOf(requireChild(mdia, 'hdlr')),
    timescale: timescaleOf(requireChild(mdia, 'mdhd')),
    stsd: requireChild(stbl, 'stsd'),
    sampleCount: sampleCountOf(stbl),
    sampleDuration: totals.duration,
  };
}

/** 8.8.3 'trex' boxes of the 'mvex', keyed by track_ID. */
function parseTrackDefaults(mvex: MemoryBox): Map<number, TrackDefaults> {
  const defaults = new Map<number, TrackDefaults>();
  for (const trex of children(mvex).filter((box) => box.type === 'trex')) {
    const cursor = new Cursor(payload(trex), 'trex');
    cursor.fullBox();
    const trackId = cursor.u32();
    defaults.set(trackId, {
      sampleDescriptionIndex: cursor.u32(),
      duration: cursor.u32(),
      size: cursor.u32(),
      flags: cursor.u32(),
    });
  }
  return defaults;
}

/** Parses a 'moov' box held in memory. */
export function parseMovie(moov: MemoryBox): MovieInfo {
  const mvex = findChild(moov, 'mvex');
  return {
    moov,
    timescale: timescaleOf(requireChild(moov, 'mvhd')),
    tracks: children(moov)
      .filter((box) => box.type === 'trak')
      .map(parseTrack),
    trackDefaults: mvex === undefined ? null : parseTrackDefaults(mvex),
  };
}

/** The first video track ('vide' handler), which is what a capture's video is. */
export function videoTrackOf(movie: MovieInfo): TrackInfo {
  const track = movie.tracks.find((candidate) => candidate.handler === 'vide');
  if (track === undefined) throw new VideoFormatError('not a video: the MP4 has no video track');
  return track;
}
