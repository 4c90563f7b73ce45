import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  chooseTransferSyntax,
  probeVideo,
  VideoTransferSyntax as TS,
} from '../../../main/core/video';
import { FixtureFactory } from './fixtures';

const fixtures = new FixtureFactory();
afterAll(() => fixtures.dispose());

const GIB = 1024 ** 3;
const FRAGMENTS = 20;
const MDAT_BYTES = GIB / 4;

/** Top-level boxes of a small file: [type, start, end]. */
function boxes(bytes: Buffer): [string, number, number][] {
  const found: [string, number, number][] = [];
  for (let at = 0; at < bytes.length; at += bytes.readUInt32BE(at)) {
    found.push([bytes.toString('latin1', at + 4, at + 8), at, at + bytes.readUInt32BE(at)]);
  }
  return found;
}

/**
 * A 5 GiB fragmented MP4 that costs no disk: the fixture's ftyp+moov, then its first moof repeated
 * with a 256 MiB 'mdat' each (the samples the moof describes at the start, the rest a sparse hole).
 */
async function sparseRecording(): Promise<{ file: string; framesPerFragment: number }> {
  const source = await readFile(await fixtures.get('fragmented'));
  const layout = boxes(source);
  const moovEnd = layout.find(([type]) => type === 'moov')?.[2] ?? 0;
  const moofIndex = layout.findIndex(([type]) => type === 'moof');
  const [, moofStart, moofEnd] = layout[moofIndex] ?? ['', 0, 0];
  const [, mdatStart, mdatEnd] = layout[moofIndex + 1] ?? ['', 0, 0];
  const file = join(await fixtures.workDir(), 'sparse-5GiB.mp4');
  const handle = await open(file, 'w');
  await handle.write(source.subarray(0, moovEnd), 0, moovEnd, 0);
  let at = moovEnd;
  for (let i = 0; i < FRAGMENTS; i++) {
    await handle.write(source, moofStart, moofEnd - moofStart, at);
    at += moofEnd - moofStart;
    const mdat = Buffer.from(source.subarray(mdatStart, mdatEnd));
    mdat.writeUInt32BE(MDAT_BYTES, 0);
    await handle.write(mdat, 0, mdat.length, at);
    at += MDAT_BYTES;
  }
  await handle.truncate(at);
  await handle.close();
  return { file, framesPerFragment: 15 };
}

describe('probing a file larger than 2^32 bytes', { timeout: 30_000 }, () => {
  it('reads box headers only: 5 GiB probe in constant memory, fragmentable syntax chosen', async () => {
    const { file, framesPerFragment } = await sparseRecording();
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const probe = await probeVideo(file);
    const seconds = (performance.now() - started) / 1000;
    const rssGrowth = process.memoryUsage().rss - rssBefore;

    expect(probe.byteLength).toBeGreaterThan(2 ** 32);
    expect(probe.frameCount).toBe(FRAGMENTS * framesPerFragment);
    expect(probe.fragmented).toBe(true);
    expect(seconds).toBeLessThan(2);
    expect(rssGrowth).toBeLessThan(64 * 1024 * 1024);
    expect(chooseTransferSyntax(probe)).toEqual({
      uid: TS.FragmentableMPEG4AVCH264HighProfileLevel41,
    });
  });
});
