import { Cursor } from '../mp4/Cursor';
import { children, payload, type MemoryBox } from '../mp4/boxes';
import type { MovieInfo, TrackInfo } from '../mp4/movie';
import { box, fullBox, u32, u64 } from './boxWriter';
import { sampleTableBox } from './sampleTables';
import { TrackSamples, type SampleIndex } from './sampleIndex';

type Transform = (child: MemoryBox) => Buffer | null;

/** Rebuilds a container box, replacing (Buffer), dropping (null) or copying (no transform) children. */
function rebuild(parent: MemoryBox, transforms: Record<string, Transform>): Buffer {
  const parts = children(parent).map((child) => {
    const transform = transforms[child.type];
    return transform ? transform(child) : child.data.subarray(child.start, child.end);
  });
  return box(parent.type, ...parts.filter((part): part is Buffer => part !== null));
}

/**
 * Rewrites 'mvhd' (8.2.2), 'mdhd' (8.4.2) or 'tkhd' (8.3.2) with a new duration, always as version 1
 * (64-bit times) so any duration fits. Between the times and the duration sit 4 bytes (timescale)
 * or, in 'tkhd', 8 (track_ID, reserved); everything after the duration is kept.
 */
export function withDuration(header: MemoryBox, duration: number): Buffer {
  const cursor = new Cursor(payload(header), header.type);
  const { version, flags } = cursor.fullBox();
  const creation = cursor.uVersioned(version);
  const modification = cursor.uVersioned(version);
  const middle = cursor.bytesOf(header.type === 'tkhd' ? 8 : 4);
  cursor.uVersioned(version);
  const rest = cursor.bytesOf(cursor.remaining);
  return fullBox(
    header.type,
    1,
    flags,
    u64(creation),
    u64(modification),
    middle,
    u64(duration),
    rest,
  );
}

/**
 * 8.6.6 EditListBox: a fragmented file's single edit often has segment_duration 0 ("unknown" while
 * recording); in a progressive file that would mean an empty edit, so set the real duration.
 */
export function withEditDuration(elst: MemoryBox, trackDuration: number): Buffer {
  const cursor = new Cursor(payload(elst), 'elst');
  const { version, flags } = cursor.fullBox();
  const original = elst.data.subarray(elst.start, elst.end);
  if (cursor.u32() !== 1) return original;
  const segmentDuration = cursor.uVersioned(version);
  if (segmentDuration !== 0) return original;
  const mediaTime = version === 1 ? cursor.bytesOf(8) : cursor.bytesOf(4);
  const mediaTime64 =
    version === 1 ? mediaTime : Buffer.alloc(8, mediaTime.readInt32BE() < 0 ? 0xff : 0);
  if (version === 0) mediaTime.copy(mediaTime64, 4);
  const rate = cursor.bytesOf(4);
  return fullBox('elst', 1, flags, u32(1), u64(trackDuration), mediaTime64, rate);
}

function toMovieTime(duration: number, from: number, to: number): number {
  return Math.round((duration * to) / from);
}

function buildTrack(track: TrackInfo, samples: TrackSamples, movie: MovieInfo, wide: boolean) {
  const mediaDuration = samples.totalDuration;
  const trackDuration = toMovieTime(mediaDuration, track.timescale, movie.timescale);
  const stsd = track.stsd.data.subarray(track.stsd.start, track.stsd.end);
  return rebuild(track.trak, {
    tkhd: (tkhd) => withDuration(tkhd, trackDuration),
    edts: (edts) => rebuild(edts, { elst: (elst) => withEditDuration(elst, trackDuration) }),
    mdia: (mdia) =>
      rebuild(mdia, {
        mdhd: (mdhd) => withDuration(mdhd, mediaDuration),
        minf: (minf) => rebuild(minf, { stbl: () => sampleTableBox(stsd, samples, wide) }),
      }),
  });
}

/**
 * Builds the progressive 'moov' (8.2.1) of a remuxed fragmented movie: sample tables from the
 * collected 'trun' entries, durations filled in, 'mvex' (8.8.1) dropped, every other box — sample
 * descriptions with avcC/hvcC included — kept byte for byte.
 */
export function buildMovie(movie: MovieInfo, index: SampleIndex, wideOffsets: boolean): Buffer {
  const samplesOf = (track: TrackInfo) =>
    index.tracks.get(track.trackId) ?? new TrackSamples(track.trackId);
  const movieDuration = Math.max(
    0,
    ...movie.tracks.map((track) =>
      toMovieTime(samplesOf(track).totalDuration, track.timescale, movie.timescale),
    ),
  );
  const tracks = new Map(movie.tracks.map((track) => [track.trak.start, track]));
  return rebuild(movie.moov, {
    mvhd: (mvhd) => withDuration(mvhd, movieDuration),
    mvex: () => null,
    trak: (trak) => {
      const track = tracks.get(trak.start);
      if (track === undefined) return null;
      return buildTrack(track, samplesOf(track), movie, wideOffsets);
    },
  });
}
