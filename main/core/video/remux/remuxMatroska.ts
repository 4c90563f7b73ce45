import { open } from 'node:fs/promises';
import { VideoFormatError } from '../VideoRefusedError';
import { SAMPLE_IS_NON_SYNC } from '../mp4/fragments';
import { scanMatroska, type MatroskaBlock } from '../webm/scanMatroska';
import { newVideoMovie } from './newMovie';
import { SampleIndex } from './sampleIndex';
import { buildHead, fileType, writeProgressive, type RemuxOptions } from './writeProgressive';

const NS_PER_SECOND = 1e9;
/** MP4 media timescale for the remuxed track: 90 kHz holds millisecond timestamps exactly. */
const MEDIA_TIMESCALE = 90_000;
const TRACK_ID = 1;

/** Why this Matroska stream cannot be copied into MP4 as is, or null when it can. */
function obstacle(
  blocks: readonly MatroskaBlock[],
  otherTracks: number,
  codecPrivate: Buffer | null,
) {
  if (otherTracks > 0) return 'it has audio or other tracks (re-encoding keeps them)';
  if (codecPrivate === null) return 'the H.264 track has no CodecPrivate (avcC)';
  if (blocks.length === 0) return 'the video track has no frames';
  if (blocks.some((block) => block.laced)) return 'its blocks use lacing';
  if (blocks.some((block) => block.keyframe === null)) return 'it uses BlockGroups';
  for (let i = 1; i < blocks.length; i++) {
    // Block timestamps are presentation times; decode order differs only with B-frames.
    if ((blocks[i]?.timestamp ?? 0) < (blocks[i - 1]?.timestamp ?? 0)) return 'it has B-frames';
  }
  return null;
}

/** Sample durations from presentation timestamps; the last frame lasts the average interval. */
function durationsOf(blocks: readonly MatroskaBlock[], ticksToMedia: number): number[] {
  const times = blocks.map((block) => Math.round(block.timestamp * ticksToMedia));
  const first = times[0] ?? 0;
  const last = times[times.length - 1] ?? 0;
  const average = times.length > 1 ? Math.round((last - first) / (times.length - 1)) : 1;
  return times.map((time, i) => (i + 1 < times.length ? (times[i + 1] ?? time) - time : average));
}

/**
 * Copies an H.264 video-only Matroska/WebM recording (as `video/x-matroska;codecs=avc1` records)
 * into a progressive MP4 without re-encoding: each SimpleBlock's frame becomes a sample, CodecPrivate
 * becomes the 'avcC' (both are the ISO/IEC 14496-15 AVCDecoderConfigurationRecord), and timestamps
 * become sample durations. Throws VideoFormatError (starting "not remuxable") when the stream has
 * audio, lacing, BlockGroups or B-frames, so the caller can re-encode instead.
 */
export async function remuxMatroska(
  inputFile: string,
  outputFile: string,
  options: RemuxOptions = {},
) {
  const input = await open(inputFile, 'r');
  try {
    const blocks: MatroskaBlock[] = [];
    const scan = await scanMatroska(input, (block) => blocks.push(block), options.signal);
    const { track } = scan;
    if (track.codec !== 'h264') throw new VideoFormatError(`not remuxable: codec ${track.codec}`);
    const why = obstacle(blocks, scan.otherTracks, track.codecPrivate);
    if (why !== null || track.codecPrivate === null)
      throw new VideoFormatError(`not remuxable: ${why}`);
    const durations = durationsOf(blocks, (scan.timestampScale / NS_PER_SECOND) * MEDIA_TIMESCALE);
    const index = new SampleIndex();
    index.add(
      blocks.map((block, i) => ({
        trackId: TRACK_ID,
        sampleDescriptionIndex: 1,
        dataStart: block.dataStart,
        byteLength: block.byteLength,
        sizes: [block.byteLength],
        durations: [durations[i] ?? 0],
        flags: [block.keyframe ? 0 : SAMPLE_IS_NON_SYNC],
        compositionOffsets: null,
        decodeTime: null,
      })),
    );
    const samples = index.tracks.get(TRACK_ID);
    if (samples === undefined) throw new VideoFormatError('empty: the video track has no frames');
    const description = {
      sampleEntry: 'avc1',
      configType: 'avcC',
      config: track.codecPrivate,
      width: track.width,
      height: track.height,
      timescale: MEDIA_TIMESCALE,
    };
    const head = buildHead(fileType('h264'), index, (wide) =>
      newVideoMovie(description, samples, wide),
    );
    await writeProgressive(input, outputFile, head, index, options);
  } finally {
    await input.close();
  }
}
