import { copyFile, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import {
  prepareVideo,
  VideoRefusedError,
  VideoTransferSyntax as TS,
} from '../../../main/core/video';
import {
  ffprobeStream,
  FixtureFactory,
  pictureDigests,
  run,
  type FixtureName,
} from '../../unit/video/fixtures';

const fixtures = new FixtureFactory();
afterAll(() => fixtures.dispose());

let workDirs = 0;
async function freshWorkDir(): Promise<string> {
  return join(await fixtures.workDir(), `work-${++workDirs}`);
}

async function decodesCleanly(file: string): Promise<void> {
  const { stderr } = await run('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-']);
  expect(stderr).toBe('');
}

describe('prepareVideo keeps or remuxes admissible streams', { timeout: 60_000 }, () => {
  it.each([
    ['high41', 'linked', TS.MPEG4AVCH264HighProfileLevel41],
    ['high42', 'linked', TS.MPEG4AVCH264HighProfileLevel42For2DVideo],
    ['hevcMain', 'linked', TS.HEVCH265MainProfileLevel51],
    ['hevcMain10', 'linked', TS.HEVCH265Main10ProfileLevel51],
    ['fragmented', 'remuxed', TS.MPEG4AVCH264HighProfileLevel41],
    ['h264HighMkv', 'remuxed', TS.MPEG4AVCH264HighProfileLevel41],
  ] as const)('%s is %s as %s', async (name, method, uid) => {
    const input = await fixtures.get(name);
    const workDir = await freshWorkDir();
    const prepared = await prepareVideo(input, workDir);
    expect(prepared).toMatchObject({ method, transferSyntaxUid: uid });
    expect(prepared.file.startsWith(workDir)).toBe(true);
    expect(prepared.probe).toMatchObject({ fragmented: false, container: 'mp4' });
    const [before, after] = await Promise.all([ffprobeStream(input), ffprobeStream(prepared.file)]);
    expect(after).toEqual(before);
    expect(await pictureDigests(prepared.file)).toEqual(await pictureDigests(input));
    expect(await readdir(workDir)).toHaveLength(1);
  });
});

describe(
  'prepareVideo re-encodes with ffmpeg.wasm what no syntax admits',
  { timeout: 90_000 },
  () => {
    it.each([
      ['baseline', 640, 360, 30],
      ['vp8', 640, 360, 30],
      ['h264HighMkvBframes', 640, 360, 30],
      ['high4k', 1920, 1080, 3],
    ] as const)('%s becomes H.264 High L4.1 (.102)', async (name, width, height, frames) => {
      const input = await fixtures.get(name);
      const progress: number[] = [];
      const before = performance.eventLoopUtilization();
      const prepared = await prepareVideo(input, await freshWorkDir(), {
        onProgress: (fraction) => progress.push(fraction),
      });
      const busy = performance.eventLoopUtilization(before).utilization;
      expect(prepared.method).toBe('reencoded');
      expect(prepared.transferSyntaxUid).toBe(TS.MPEG4AVCH264HighProfileLevel41);
      expect(prepared.probe).toMatchObject({
        codec: 'h264',
        profile: 'High',
        level: 4.1,
        width,
        height,
      });
      // WebM declares 1000 fps: frames must pass through, not multiply (DOMAIN.md).
      expect(prepared.probe.frameCount).toBe(frames);
      await decodesCleanly(prepared.file);
      expect(progress.at(-1)).toBe(1);
      expect([...progress].sort((a, b) => a - b)).toEqual(progress);
      // The encode runs in a worker thread: this thread's event loop stays mostly idle. (Utilisation,
      // not maximum delay, which a loaded 2-core machine's scheduler alone can push past 500 ms.)
      expect(busy).toBeLessThan(0.5);
      console.info(`${name}: main event loop busy ${(busy * 100).toFixed(0)} % while re-encoding`);
    });

    it('stops the worker and leaves nothing behind when aborted', async () => {
      const input = await fixtures.get('baseline');
      const workDir = await freshWorkDir();
      const controller = new AbortController();
      const pending = prepareVideo(input, workDir, {
        signal: controller.signal,
        onProgress: () => controller.abort(),
      });
      setTimeout(() => controller.abort(), 1500);
      await expect(pending).rejects.toThrow(/abort/i);
      expect(await readdir(workDir)).toEqual([]);
    });
  },
);

describe('prepareVideo refuses damaged input', { timeout: 60_000 }, () => {
  async function truncated(name: FixtureName): Promise<string> {
    const target = join(await fixtures.workDir(), `truncated-${name}.mp4`);
    await copyFile(await fixtures.get(name), target);
    const handle = await open(target, 'r+');
    await handle.truncate(Math.floor((await handle.stat()).size * 0.6));
    await handle.close();
    return target;
  }

  it.each(['fragmented', 'high41'] as const)('a truncated %s, writing nothing', async (name) => {
    const input = await truncated(name);
    const workDir = await freshWorkDir();
    const error: unknown = await prepareVideo(input, workDir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VideoRefusedError);
    expect((error as VideoRefusedError).file).toBe(input);
    expect((error as VideoRefusedError).reason).toMatch(/^truncated/);
    expect(await readdir(workDir)).toEqual([]);
  });

  it('recovers the complete fragments of a cut-off recording when asked to', async () => {
    const input = await truncated('fragmented');
    const prepared = await prepareVideo(input, await freshWorkDir(), { recoverTruncated: true });
    expect(prepared).toMatchObject({
      method: 'remuxed',
      transferSyntaxUid: TS.MPEG4AVCH264HighProfileLevel41,
    });
    expect(prepared.probe.truncated).toBe(true);
    const reference = await ffprobeStream(prepared.file);
    expect(Number(reference.nb_read_packets)).toBe(prepared.probe.frameCount);
    expect(prepared.probe.frameCount).toBeGreaterThan(0);
    await decodesCleanly(prepared.file);
  });
});
