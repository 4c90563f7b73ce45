import { describe, expect, it } from 'vitest';
import {
  chooseTransferSyntax,
  MAX_SINGLE_FRAGMENT_BYTES,
  VideoTransferSyntax as TS,
  type VideoProbe,
} from '../../../main/core/video';

const HD: VideoProbe = {
  codec: 'h264',
  profile: 'High',
  level: 4.1,
  width: 1920,
  height: 1080,
  frameRate: 30,
  frameCount: 150,
  durationSeconds: 5,
  byteLength: 3_000_000,
  fragmented: false,
  container: 'mp4',
};

const choose = (change: Partial<VideoProbe>) => chooseTransferSyntax({ ...HD, ...change });

describe('chooseTransferSyntax (PS3.5 8.2.8, 8.2.9)', () => {
  it('registers every video syntax of PS3.6 Table A-1 with its exact UID', () => {
    expect(Object.values(TS).sort()).toEqual(
      [
        '1.2.840.10008.1.2.4.100',
        '1.2.840.10008.1.2.4.100.1',
        '1.2.840.10008.1.2.4.101',
        '1.2.840.10008.1.2.4.101.1',
        '1.2.840.10008.1.2.4.102',
        '1.2.840.10008.1.2.4.102.1',
        '1.2.840.10008.1.2.4.103',
        '1.2.840.10008.1.2.4.103.1',
        '1.2.840.10008.1.2.4.104',
        '1.2.840.10008.1.2.4.104.1',
        '1.2.840.10008.1.2.4.105',
        '1.2.840.10008.1.2.4.105.1',
        '1.2.840.10008.1.2.4.106',
        '1.2.840.10008.1.2.4.106.1',
        '1.2.840.10008.1.2.4.107',
        '1.2.840.10008.1.2.4.108',
      ].sort(),
    );
  });

  it('H.264 High up to Level 4.1 at 1080p30 or 720p60 is .102', () => {
    expect(choose({})).toEqual({ uid: TS.MPEG4AVCH264HighProfileLevel41 });
    expect(choose({ level: 4.0, width: 1280, height: 720 })).toEqual({
      uid: '1.2.840.10008.1.2.4.102',
    });
    expect(choose({ width: 1280, height: 720, frameRate: 59.94 })).toEqual({
      uid: '1.2.840.10008.1.2.4.102',
    });
  });

  it('tolerates the wobble of variable frame timing but not 1080p60 at Level 4.1', () => {
    expect(choose({ frameRate: 30.4 })).toEqual({ uid: '1.2.840.10008.1.2.4.102' });
    expect(choose({ frameRate: 60 })).toEqual({ uid: '1.2.840.10008.1.2.4.104' });
  });

  it('H.264 High Level 4.2 is .104 (2D), up to 1080p60', () => {
    expect(choose({ level: 4.2 })).toEqual({ uid: TS.MPEG4AVCH264HighProfileLevel42For2DVideo });
    expect(choose({ level: 4.2, frameRate: 60 })).toEqual({ uid: '1.2.840.10008.1.2.4.104' });
    expect(choose({ level: 4.2, frameRate: 120 })).toHaveProperty('reencode');
  });

  it('HEVC Main is .107 and Main 10 is .108, up to Level 5.1 and 4096x2160', () => {
    const hevc = { codec: 'hevc', width: 3840, height: 2160, level: 5.1 };
    expect(choose({ ...hevc, profile: 'Main' })).toEqual({ uid: TS.HEVCH265MainProfileLevel51 });
    expect(choose({ ...hevc, profile: 'Main 10' })).toEqual({
      uid: TS.HEVCH265Main10ProfileLevel51,
    });
    expect(choose({ ...hevc, profile: 'Main', level: 6.2 })).toHaveProperty('reencode');
  });

  it('a stream over 2^32-2 bytes gets the Fragmentable variant', () => {
    const big = MAX_SINGLE_FRAGMENT_BYTES + 1;
    expect(choose({ byteLength: big })).toEqual({ uid: '1.2.840.10008.1.2.4.102.1' });
    expect(choose({ byteLength: big, level: 4.2 })).toEqual({ uid: '1.2.840.10008.1.2.4.104.1' });
    expect(choose({ byteLength: MAX_SINGLE_FRAGMENT_BYTES })).toEqual({
      uid: '1.2.840.10008.1.2.4.102',
    });
  });

  it('HEVC over one fragment has no registered fragmentable syntax', () => {
    const result = choose({ codec: 'hevc', profile: 'Main', level: 5.1, byteLength: 2 ** 33 });
    expect(result).toEqual({
      reencode: expect.stringMatching(/no fragmentable variant/) as string,
    });
  });

  it.each([
    [{ profile: 'Baseline' }, /profile Baseline/],
    [{ profile: 'Constrained Baseline' }, /profile Constrained Baseline/],
    [{ profile: 'Main' }, /profile Main/],
    [{ level: 5.1, width: 3840, height: 2160 }, /level 5.1/],
    [{ level: 4.1, width: 2048, height: 1080 }, /size 2048x1080/],
    [{ codec: 'vp8', profile: '' }, /codec vp8/],
    [{ codec: 'vp9', profile: '', container: 'matroska' as const }, /matroska/],
    [{ frameRate: 0 }, /frame rate/],
  ])('re-encodes %o', (change, reason) => {
    const result = choose(change);
    expect(result).toHaveProperty('reencode');
    expect((result as { reencode: string }).reencode).toMatch(reason);
  });
});
