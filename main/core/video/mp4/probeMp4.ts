import type { FileHandle } from 'node:fs/promises';
import type { ProbeOptions, VideoProbe } from '../types';
import { VideoFormatError } from '../VideoRefusedError';
import { parseVideoSampleEntry } from './sampleEntry';
import { videoTrackOf, type MovieInfo } from './movie';
import type { TrackRun } from './fragments';
import { scanMp4 } from './scanMp4';

/**
 * Probes an MP4 or fragmented MP4 from its boxes alone. For fragments, frameCount is the sum of the
 * video track's 'trun' sample counts and the duration the sum of their sample durations, so variable
 * frame timing (Chromium MediaRecorder) yields the true average frame rate. Fails with
 * VideoFormatError on truncated, corrupt or empty files.
 */
export async function probeMp4(
  handle: FileHandle,
  options: ProbeOptions = {},
): Promise<VideoProbe> {
  let fragmentFrames = 0;
  let fragmentDuration = 0;
  const countVideoSamples = (runs: TrackRun[], movie: MovieInfo): void => {
    const videoTrackId = videoTrackOf(movie).trackId;
    for (const run of runs) {
      if (run.trackId !== videoTrackId) continue;
      fragmentFrames += run.sizes.length;
      for (const duration of run.durations) fragmentDuration += duration;
    }
  };
  const scan = await scanMp4(handle, countVideoSamples, options);
  const track = videoTrackOf(scan.movie);
  const frameCount = track.sampleCount + fragmentFrames;
  const durationSeconds = (track.sampleDuration + fragmentDuration) / track.timescale;
  if (frameCount === 0 || durationSeconds <= 0) {
    throw new VideoFormatError('empty: the video track has no frames');
  }
  return {
    ...parseVideoSampleEntry(track.stsd),
    frameRate: frameCount / durationSeconds,
    frameCount,
    durationSeconds,
    byteLength: scan.fileSize,
    fragmented: scan.fragmentCount > 0,
    truncated: scan.truncated,
    container: 'mp4',
  };
}
