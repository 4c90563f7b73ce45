import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeVideo } from '../../../main/core/video';
import { remuxFragmented } from '../../../main/core/video/remux/remuxFragmented';
import { ffprobeStream, FixtureFactory, run } from '../../unit/video/fixtures';

const fixtures = new FixtureFactory();
afterAll(() => fixtures.dispose());

/** Decoded frames with their timestamps (ffmpeg framemd5): equal lists mean equal video. */
async function frameDigests(file: string, stream: string): Promise<string[]> {
  const { stdout } = await run('ffmpeg', [
    '-v',
    'error',
    '-i',
    file,
    '-map',
    `0:${stream}`,
    '-f',
    'framemd5',
    '-',
  ]);
  return stdout.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
}

async function packetCounts(file: string): Promise<string> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-count_packets',
    '-show_entries',
    'stream=codec_name,nb_read_packets',
    '-of',
    'csv',
    file,
  ]);
  return stdout;
}

/** Top-level box types, to show the output is progressive (no 'moof'). */
async function topLevelBoxes(file: string): Promise<string[]> {
  const bytes = await readFile(file);
  const types: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += bytes.readUInt32BE(offset)) {
    types.push(bytes.toString('latin1', offset + 4, offset + 8));
  }
  return types;
}

describe(
  'remuxFragmented: fragmented MP4 to progressive without re-encoding',
  { timeout: 60_000 },
  () => {
    it('keeps every frame, the codec, the profile and the decoded pictures', async () => {
      const input = await fixtures.get('fragmented');
      const output = join(await fixtures.workDir(), 'remuxed.mp4');
      const progress: number[] = [];
      await remuxFragmented(input, output, { onProgress: (fraction) => progress.push(fraction) });

      expect(await topLevelBoxes(output)).toEqual(['ftyp', 'moov', 'mdat']);
      const [before, after] = await Promise.all([ffprobeStream(input), ffprobeStream(output)]);
      expect(after).toEqual(before);
      expect(after.nb_read_packets).toBe('60');
      const decode = await run('ffmpeg', ['-v', 'error', '-i', output, '-f', 'null', '-']);
      expect(decode.stderr).toBe('');
      expect(await frameDigests(output, 'v')).toEqual(await frameDigests(input, 'v'));
      expect(progress.at(-1)).toBe(1);

      const probe = await probeVideo(output);
      expect(probe).toMatchObject({ fragmented: false, frameCount: 60, profile: 'High', level: 4 });
      expect(probe.frameRate).toBeCloseTo(30, 5);
    });

    it('keeps variable frame timing and an interleaved audio track', async () => {
      const input = await fixtures.get('fragmentedVfrAudio');
      const output = join(await fixtures.workDir(), 'remuxed-vfr.mp4');
      await remuxFragmented(input, output);

      expect(await packetCounts(output)).toBe(await packetCounts(input));
      expect(await frameDigests(output, 'v')).toEqual(await frameDigests(input, 'v'));
      expect(await frameDigests(output, 'a')).toEqual(await frameDigests(input, 'a'));
      const decode = await run('ffmpeg', ['-v', 'error', '-i', output, '-f', 'null', '-']);
      expect(decode.stderr).toBe('');
    });

    it('keeps B-frame composition offsets (ctts from trun)', async () => {
      const input = await fixtures.get('fragmentedBframes');
      const output = join(await fixtures.workDir(), 'remuxed-bframes.mp4');
      await remuxFragmented(input, output);

      expect(await packetCounts(output)).toBe(await packetCounts(input));
      expect(await frameDigests(output, 'v')).toEqual(await frameDigests(input, 'v'));
      const decode = await run('ffmpeg', ['-v', 'error', '-i', output, '-f', 'null', '-']);
      expect(decode.stderr).toBe('');
    });

    it("takes the first fragment's samples from the 'moov' when it has them", async () => {
      const input = await fixtures.get('fragmentedSamplesInMoov');
      const output = join(await fixtures.workDir(), 'remuxed-moov-samples.mp4');
      await remuxFragmented(input, output);

      expect(await packetCounts(output)).toBe(await packetCounts(input));
      expect(await frameDigests(output, 'v')).toEqual(await frameDigests(input, 'v'));
      expect((await probeVideo(output)).frameCount).toBe((await probeVideo(input)).frameCount);
    });

    it('leaves nothing behind when aborted', async () => {
      const input = await fixtures.get('fragmented');
      const dir = await fixtures.workDir();
      const output = join(dir, 'aborted.mp4');
      const controller = new AbortController();
      controller.abort();
      await expect(remuxFragmented(input, output, { signal: controller.signal })).rejects.toThrow();
      expect((await readdir(dir)).filter((name) => name.startsWith('aborted'))).toEqual([]);
    });
  },
);
