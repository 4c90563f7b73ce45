import type { VideoProbe } from '../types';

/** The target: H.264 High Profile / Level 4.1 (PS3.5 8.2.8, UID .102) at most 1920x1080, 30 fps. */
export const TARGET = { width: 1920, height: 1080, frameRate: 30, level: '4.1' } as const;
/** A 30 fps source measured at 30.4 with variable timing needs no resampling. */
const FRAME_RATE_SLACK = 1.02;

/**
 * ffmpeg arguments (after `-i input`) that produce an admissible MP4 from any probed stream.
 * x264's ultrafast preset drops CABAC and 8x8 transforms and would then signal Baseline: keep both
 * so the stream is High. maxrate/bufsize bound the bitrate (VBV) within Level 4.1's 50 Mb/s.
 * WebM/Matroska declare 1000 fps, so frames must pass through with their own timing (DOMAIN.md).
 */
export function encodeArguments(probe: VideoProbe): string[] {
  const args = ['-map', '0:v:0', '-map', '0:a:0?', '-c:v', 'libx264', '-preset', 'ultrafast'];
  args.push('-x264-params', 'cabac=1:8x8dct=1', '-profile:v', 'high', '-level:v', TARGET.level);
  args.push('-pix_fmt', 'yuv420p', '-crf', '20', '-maxrate', '16M', '-bufsize', '20M');
  if (probe.width > TARGET.width || probe.height > TARGET.height) {
    const fit = 'force_original_aspect_ratio=decrease:force_divisible_by=2';
    args.push('-vf', `scale=w=${TARGET.width}:h=${TARGET.height}:${fit}`);
  }
  if (probe.frameRate > TARGET.frameRate * FRAME_RATE_SLACK) {
    args.push('-fps_mode', 'cfr', '-r', String(TARGET.frameRate));
  } else {
    args.push('-fps_mode', 'passthrough');
  }
  // No +faststart: it would rewrite the whole output a second time inside the wasm heap.
  args.push('-c:a', 'aac', '-b:a', '128k', '-f', 'mp4');
  return args;
}

/** ffmpeg's status lines carry `time=HH:MM:SS.ss`; returns seconds, or null for other lines. */
export function encodedSeconds(line: string): number | null {
  const match = /time=\s*(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(line);
  if (!match) return null;
  const [, hours, minutes, seconds] = match;
  return Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
}
