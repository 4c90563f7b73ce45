import { randomBytes } from 'node:crypto';
import { copyFile, open, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeVideo, VideoRefusedError } from '../../../main/core/video';
import { ffprobeStream, FixtureFactory, type FixtureName } from './fixtures';

/** Fixtures are encoded on first use; on 2 busy cores that can take several seconds. */
const FIXTURE_TIMEOUT = { timeout: 30_000 };
const fixtures = new FixtureFactory();
afterAll(() => fixtures.dispose());

/** ffprobe reports H.264 level as level_idc (x10) and HEVC as general_level_idc (x30). */
const LEVEL_SCALE: Record<string, number> = { h264: 10, hevc: 30 };

describe('probeVideo agrees with ffprobe on MP4 and fragmented MP4', FIXTURE_TIMEOUT, () => {
  const cases: [FixtureName, string, number][] = [
    ['high41', 'High', 30],
    ['high42', 'High', 30],
    ['baseline', 'Constrained Baseline', 30],
    ['main', 'Main', 30],
    ['high4k', 'High', 30],
    ['hevcMain', 'Main', 30],
    ['hevcMain10', 'Main 10', 30],
    ['fragmented', 'High', 30],
  ];
  it.each(cases)('%s', async (name, profile, frameRate) => {
    const file = await fixtures.get(name);
    const [probe, reference] = await Promise.all([probeVideo(file), ffprobeStream(file)]);
    expect(probe.codec).toBe(reference.codec_name);
    expect(probe.profile).toBe(profile);
    expect(probe.profile).toBe(reference.profile);
    expect(Math.round(probe.level * (LEVEL_SCALE[probe.codec] ?? 1))).toBe(Number(reference.level));
    expect([probe.width, probe.height]).toEqual([
      Number(reference.width),
      Number(reference.height),
    ]);
    expect(probe.frameCount).toBe(Number(reference.nb_read_packets));
    expect(probe.frameRate).toBeCloseTo(frameRate, 1);
    expect(probe.durationSeconds).toBeCloseTo(probe.frameCount / frameRate, 2);
    expect(probe.byteLength).toBe((await stat(file)).size);
    expect(probe.fragmented).toBe(name === 'fragmented');
    expect(probe.container).toBe('mp4');
  });

  it('averages variable frame timing of fragments and ignores the audio track', async () => {
    const file = await fixtures.get('fragmentedVfrAudio');
    const probe = await probeVideo(file);
    expect(probe.fragmented).toBe(true);
    expect(probe.frameCount).toBe(60);
    expect(probe.frameRate).toBeGreaterThan(29);
    expect(probe.frameRate).toBeLessThan(31);
  });
});

describe('probeVideo recognises WebM and Matroska', FIXTURE_TIMEOUT, () => {
  it.each([
    ['vp8', 'vp8', ''],
    ['h264Mkv', 'h264', 'Constrained Baseline'],
  ] as const)('%s', async (name, codec, profile) => {
    const file = await fixtures.get(name);
    const probe = await probeVideo(file);
    expect(probe).toMatchObject({ codec, profile, width: 640, height: 360, container: 'matroska' });
    expect(probe.frameCount).toBe(30);
    expect(probe.frameRate).toBeCloseTo(30, 0);
  });
});

describe(
  'probeVideo refuses what is not a whole video, naming the file and reason',
  FIXTURE_TIMEOUT,
  () => {
    async function cut(name: FixtureName, fraction: number): Promise<string> {
      const source = await fixtures.get(name);
      const target = join(await fixtures.workDir(), `cut-${name}-${fraction}.mp4`);
      await copyFile(source, target);
      const handle = await open(target, 'r+');
      await handle.truncate(Math.floor((await handle.stat()).size * fraction));
      await handle.close();
      return target;
    }

    async function expectRefusal(file: string, reason: RegExp): Promise<void> {
      const error: unknown = await probeVideo(file).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(VideoRefusedError);
      expect((error as VideoRefusedError).message).toContain(file);
      expect((error as VideoRefusedError).reason).toMatch(reason);
    }

    it('a truncated fragmented recording', async () => {
      await expectRefusal(await cut('fragmented', 0.7), /^truncated/);
    });

    it('but keeps the complete fragments of a cut-off recording when asked to recover', async () => {
      const probe = await probeVideo(await cut('fragmented', 0.7), { recoverTruncated: true });
      expect(probe).toMatchObject({ fragmented: true, truncated: true });
      expect(probe.frameCount).toBeGreaterThan(0);
      expect(probe.frameCount).toBeLessThan(60);
      expect(probe.frameCount % 15).toBe(0); // whole fragments of 15 frames (-g 15)
      expect(probe.frameRate).toBeCloseTo(30, 5);
    });

    it('a truncated progressive MP4', async () => {
      await expectRefusal(await cut('high41', 0.5), /^truncated/);
    });

    it('a truncated WebM', async () => {
      const source = await fixtures.get('vp8');
      const target = join(await fixtures.workDir(), 'cut.webm');
      await copyFile(source, target);
      const handle = await open(target, 'r+');
      await handle.truncate(20_000);
      await handle.close();
      await expectRefusal(target, /^truncated/);
    });

    it('random bytes named .mp4', async () => {
      const file = join(await fixtures.workDir(), 'random.mp4');
      await writeFile(file, randomBytes(4096));
      await expectRefusal(file, /not an MP4|corrupt|truncated/);
    });

    it('a PNG named .mp4', async () => {
      const file = join(await fixtures.workDir(), 'image.mp4');
      await writeFile(file, Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
      await expectRefusal(file, /not an MP4|corrupt/);
    });

    it('an empty file, a missing file and a directory', async () => {
      const dir = await fixtures.workDir();
      const empty = join(dir, 'empty.mp4');
      await writeFile(empty, '');
      await expectRefusal(empty, /too short/);
      await expectRefusal(join(dir, 'missing.mp4'), /does not exist/);
      await expectRefusal(dir, /directory/);
    });
  },
);
