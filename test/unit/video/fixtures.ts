import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Test videos made at test time with native ffmpeg (a reference tool for tests only; the product
 * never calls it). Each fixture is made once per test file, on first use.
 */
export const run = promisify(execFile);

const TEST_SOURCE = (size: string, rate: number, seconds: number) => [
  '-f',
  'lavfi',
  '-i',
  `testsrc=size=${size}:rate=${rate}`,
  '-t',
  String(seconds),
  '-pix_fmt',
  'yuv420p',
];
/** x264's ultrafast preset drops CABAC and 8x8 transforms and then signals Baseline: keep them. */
const X264_HIGH = ['-c:v', 'libx264', '-preset', 'ultrafast', '-x264-params', 'cabac=1:8x8dct=1'];
const FRAGMENTED = ['-movflags', 'frag_keyframe+empty_moov+default_base_moof'];

export const FIXTURES = {
  /** H.264 High L4.1, 1280x720, 30 fps, 2 s = 60 frames. */
  high41: [...TEST_SOURCE('1280x720', 30, 2), ...X264_HIGH, '-profile:v', 'high', '-level', '4.1'],
  /** H.264 High L4.2, 1920x1080, 30 fps, 1 s. */
  high42: [...TEST_SOURCE('1920x1080', 30, 1), ...X264_HIGH, '-profile:v', 'high', '-level', '4.2'],
  /** H.264 Baseline 640x360. */
  baseline: [...TEST_SOURCE('640x360', 30, 1), '-c:v', 'libx264', '-profile:v', 'baseline'],
  /** H.264 Main 640x360. */
  main: [
    ...TEST_SOURCE('640x360', 30, 1),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-x264-params',
    'cabac=1',
    '-profile:v',
    'main',
  ],
  /** 4K H.264 High L5.1, a few frames. */
  high4k: [
    ...TEST_SOURCE('3840x2160', 30, 0.1),
    ...X264_HIGH,
    '-profile:v',
    'high',
    '-level',
    '5.1',
  ],
  /** HEVC Main, tagged hvc1 as Apple and DICOM receivers expect. */
  hevcMain: [
    ...TEST_SOURCE('640x360', 30, 1),
    '-c:v',
    'libx265',
    '-preset',
    'ultrafast',
    '-x265-params',
    'log-level=error',
    '-tag:v',
    'hvc1',
  ],
  /** HEVC Main 10. */
  hevcMain10: [
    '-f',
    'lavfi',
    '-i',
    'testsrc=size=640x360:rate=30',
    '-t',
    '1',
    '-pix_fmt',
    'yuv420p10le',
    '-c:v',
    'libx265',
    '-preset',
    'ultrafast',
    '-x265-params',
    'log-level=error',
    '-tag:v',
    'hvc1',
  ],
  /** Fragmented MP4 like Chromium's MediaRecorder: High, 720p, 2 s, a fragment per 15 frames. */
  fragmented: [
    ...TEST_SOURCE('1280x720', 30, 2),
    ...X264_HIGH,
    '-profile:v',
    'high',
    '-level',
    '4.0',
    '-g',
    '15',
    ...FRAGMENTED,
  ],
  /**
   * Fragmented with variable frame timing (jittered timestamps around 30 fps, as MediaRecorder
   * writes) and an AAC audio track interleaved.
   */
  fragmentedVfrAudio: [
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:duration=2',
    ...TEST_SOURCE('640x360', 30, 2),
    '-map',
    '1:v',
    '-map',
    '0:a',
    '-vf',
    "setpts='(N/30+if(eq(mod(N,3),1),0.006,0))/TB'",
    '-fps_mode',
    'passthrough',
    ...X264_HIGH,
    '-profile:v',
    'high',
    '-g',
    '20',
    '-c:a',
    'aac',
    ...FRAGMENTED,
  ],
  /** Fragmented with B-frames: composition offsets in 'trun' and an edit list in the 'moov'. */
  fragmentedBframes: [
    ...TEST_SOURCE('640x360', 30, 2),
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-bf',
    '2',
    '-profile:v',
    'high',
    '-g',
    '30',
    ...FRAGMENTED,
  ],
  /** Fragmented without empty_moov: the first fragment's samples are described by the 'moov'. */
  fragmentedSamplesInMoov: [
    ...TEST_SOURCE('640x360', 30, 2),
    ...X264_HIGH,
    '-profile:v',
    'high',
    '-g',
    '20',
    '-movflags',
    'frag_keyframe',
  ],
  /** VP8 WebM as MediaRecorder's default. */
  vp8: [
    ...TEST_SOURCE('640x360', 30, 1),
    '-c:v',
    'libvpx',
    '-deadline',
    'realtime',
    '-cpu-used',
    '8',
    '-b:v',
    '1M',
  ],
  /** H.264 Constrained Baseline in Matroska, as `webm;codecs=h264` records. */
  h264Mkv: [...TEST_SOURCE('640x360', 30, 1), '-c:v', 'libx264', '-profile:v', 'baseline'],
  /** H.264 High in Matroska, as `video/x-matroska;codecs=avc1` records (no B-frames). */
  h264HighMkv: [
    ...TEST_SOURCE('1280x720', 30, 2),
    ...X264_HIGH,
    '-profile:v',
    'high',
    '-level',
    '4.1',
    '-g',
    '30',
  ],
  /** The same with B-frames: timestamps out of decode order. */
  h264HighMkvBframes: [
    ...TEST_SOURCE('640x360', 30, 1),
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-bf',
    '2',
    '-profile:v',
    'high',
  ],
} as const;

export type FixtureName = keyof typeof FIXTURES;
const EXTENSION: Partial<Record<FixtureName, string>> = {
  vp8: 'webm',
  h264Mkv: 'mkv',
  h264HighMkv: 'mkv',
  h264HighMkvBframes: 'mkv',
};

export class FixtureFactory {
  private dir: Promise<string> | null = null;
  private readonly made = new Map<FixtureName, Promise<string>>();

  workDir(): Promise<string> {
    this.dir ??= mkdtemp(join(tmpdir(), 'video-test-'));
    return this.dir;
  }

  get(name: FixtureName): Promise<string> {
    let made = this.made.get(name);
    if (made === undefined) {
      made = this.make(name);
      this.made.set(name, made);
    }
    return made;
  }

  private async make(name: FixtureName): Promise<string> {
    const file = join(await this.workDir(), `${name}.${EXTENSION[name] ?? 'mp4'}`);
    await run('ffmpeg', ['-v', 'error', '-y', ...FIXTURES[name], file]);
    return file;
  }

  async dispose(): Promise<void> {
    if (this.dir) await rm(await this.dir, { recursive: true, force: true });
  }
}

/** ffprobe's view of the first video stream, for comparing with ours. */
export async function ffprobeStream(file: string): Promise<Record<string, string>> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-count_packets',
    '-show_entries',
    'stream=codec_name,profile,level,width,height,nb_read_packets',
    '-of',
    'default=noprint_wrappers=1',
    file,
  ]);
  return Object.fromEntries(
    stdout
      .trim()
      .split('\n')
      .map((line) => line.split('=', 2) as [string, string]),
  );
}

/**
 * md5 of every decoded picture, timestamps left out (Matroska and MP4 time bases differ); ffmpeg
 * fails, and `run` throws, when decoding fails.
 */
export async function pictureDigests(file: string): Promise<string[]> {
  const { stdout } = await run('ffmpeg', [
    '-v',
    'error',
    '-i',
    file,
    '-map',
    '0:v',
    '-f',
    'framemd5',
    '-',
  ]);
  return stdout
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split(',').at(-1)?.trim() ?? '');
}
