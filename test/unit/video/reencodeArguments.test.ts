import { describe, expect, it } from 'vitest';
import type { VideoProbe } from '../../../main/core/video';
import { encodeArguments, encodedSeconds } from '../../../main/core/video/reencode/encodeArguments';
import {
  MAX_REENCODE_SECONDS,
  reencodeVideo,
} from '../../../main/core/video/reencode/reencodeVideo';
import { VideoFormatError } from '../../../main/core/video/VideoRefusedError';

const WEBM: VideoProbe = {
  codec: 'vp8',
  profile: '',
  level: 0,
  width: 1280,
  height: 720,
  frameRate: 29.8,
  frameCount: 149,
  durationSeconds: 5,
  byteLength: 1_000_000,
  fragmented: false,
  container: 'matroska',
};

function valueAfter(args: string[], flag: string): string | undefined {
  return args[args.indexOf(flag) + 1];
}

describe('ffmpeg.wasm re-encode arguments (target: PS3.5 8.2.8 H.264 High L4.1)', () => {
  it('asks x264 for High profile Level 4.1 with CABAC and 8x8 transforms, bounded bitrate', () => {
    const args = encodeArguments(WEBM);
    expect(valueAfter(args, '-c:v')).toBe('libx264');
    expect(valueAfter(args, '-profile:v')).toBe('high');
    expect(valueAfter(args, '-level:v')).toBe('4.1');
    expect(valueAfter(args, '-x264-params')).toBe('cabac=1:8x8dct=1');
    expect(valueAfter(args, '-pix_fmt')).toBe('yuv420p');
    expect(args).toContain('-maxrate');
  });

  it('passes WebM frames through with their own timing (WebM declares 1000 fps)', () => {
    const args = encodeArguments(WEBM);
    expect(valueAfter(args, '-fps_mode')).toBe('passthrough');
    expect(args).not.toContain('-vf');
  });

  it('scales 4K down into 1920x1080 and resamples 60 fps to 30', () => {
    const args = encodeArguments({ ...WEBM, width: 3840, height: 2160, frameRate: 60 });
    expect(valueAfter(args, '-vf')).toMatch(
      /^scale=w=1920:h=1080:force_original_aspect_ratio=decrease/,
    );
    expect(valueAfter(args, '-r')).toBe('30');
  });

  it("reads progress from ffmpeg's time= status lines", () => {
    expect(encodedSeconds('frame=   22 fps=0.0 q=16.0 size=0kB time=00:01:02.50 bitrate=N/A')).toBe(
      62.5,
    );
    expect(encodedSeconds('Input #0, matroska,webm, from input.webm:')).toBeNull();
  });

  it('refuses, without starting a worker, a stream too long to re-encode in the wasm heap', async () => {
    const long = { ...WEBM, durationSeconds: MAX_REENCODE_SECONDS + 1 };
    const error: unknown = await reencodeVideo('/nonexistent.webm', '/nonexistent.mp4', long).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(VideoFormatError);
    expect((error as Error).message).toMatch(/record H.264 High profile instead/);
  });
});
