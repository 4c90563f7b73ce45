import type { FileHandle } from 'node:fs/promises';
import type { VideoProbe } from '../types';
import { VideoFormatError } from '../VideoRefusedError';
import { scanMatroska } from './scanMatroska';

const NS_PER_SECOND = 1e9;

/**
 * Probes WebM/Matroska (RFC 9559) without decoding: codec from CodecID (profile and level from an
 * AVC/HEVC CodecPrivate), size from PixelWidth/Height, frames by counting the video track's blocks.
 * Live recorders write no Duration (and declare 1000 fps), so the duration comes from block
 * timestamps. Memory stays flat.
 */
export async function probeMatroska(handle: FileHandle, signal?: AbortSignal): Promise<VideoProbe> {
  let frames = 0;
  let first = Infinity;
  let last = -Infinity;
  const scan = await scanMatroska(
    handle,
    (block) => {
      frames++;
      first = Math.min(first, block.timestamp);
      last = Math.max(last, block.timestamp);
    },
    signal,
  );
  if (frames === 0) throw new VideoFormatError('empty: the video track has no frames');
  const secondsPerTick = scan.timestampScale / NS_PER_SECOND;
  // The spread of timestamps covers frames-1 intervals; scale up to cover the last frame too.
  const spread = (last - first) * secondsPerTick;
  const measured = frames > 1 ? (spread * frames) / (frames - 1) : 0;
  const durationSeconds = measured > 0 ? measured : scan.declaredDuration * secondsPerTick;
  const { codec, profile, level, width, height } = scan.track;
  return {
    codec,
    profile,
    level,
    width,
    height,
    frameRate: durationSeconds > 0 ? frames / durationSeconds : 0,
    frameCount: frames,
    durationSeconds,
    byteLength: scan.fileSize,
    fragmented: false,
    truncated: false,
    container: 'matroska',
  };
}
