import { describe, expect, it } from 'vitest';
import { children, memoryBox, payload, type MemoryBox } from '../../../main/core/video/mp4/boxes';
import { SAMPLE_IS_NON_SYNC, type TrackRun } from '../../../main/core/video/mp4/fragments';
import { mdatHeader } from '../../../main/core/video/remux/boxWriter';
import { copySpans, SampleIndex } from '../../../main/core/video/remux/sampleIndex';
import { sampleTableBox } from '../../../main/core/video/remux/sampleTables';

const STSD = Buffer.from('0000001073747364000000000000000000', 'hex').subarray(0, 16);

function run(dataStart: number, sizes: number[], change: Partial<TrackRun> = {}): TrackRun {
  return {
    trackId: 1,
    sampleDescriptionIndex: 1,
    dataStart,
    byteLength: sizes.reduce((a, b) => a + b, 0),
    sizes,
    durations: sizes.map(() => 1000),
    flags: sizes.map((_, i) => (i === 0 ? 0 : SAMPLE_IS_NON_SYNC)),
    compositionOffsets: null,
    decodeTime: null,
    ...change,
  };
}

function tables(stbl: Buffer): Map<string, Buffer> {
  return new Map(children(memoryBox(stbl)).map((box: MemoryBox) => [box.type, payload(box)]));
}

describe('progressive sample tables from fragment runs (ISO/IEC 14496-12 8.6, 8.7)', () => {
  it('writes stts, stss, stsc, stsz and co64 once offsets pass 4 GiB', () => {
    const index = new SampleIndex();
    index.add([run(100, [10, 20, 30])]);
    index.add([run(160, [40, 50])]);
    index.layout(5_000_000_000);
    const track = index.tracks.get(1);
    if (!track) throw new Error('track missing');
    const boxes = tables(sampleTableBox(STSD, track, true));
    expect([...boxes.keys()]).toEqual(['stsd', 'stts', 'stss', 'stsc', 'stsz', 'co64']);
    expect(boxes.get('stts')?.toString('hex')).toBe(
      '00000000' + '00000001' + '00000005' + '000003e8',
    );
    expect(boxes.get('stss')?.toString('hex')).toBe(
      '00000000' + '00000002' + '00000001' + '00000004',
    );
    const stsc = boxes.get('stsc');
    expect(stsc?.readUInt32BE(4)).toBe(2); // 3 samples, then 2 samples per chunk
    const co64 = boxes.get('co64');
    expect(co64?.readUInt32BE(4)).toBe(2);
    expect(co64?.readBigUInt64BE(8)).toBe(5_000_000_000n);
    expect(co64?.readBigUInt64BE(16)).toBe(5_000_000_060n);
    expect(copySpans(index.chunks)).toEqual([{ sourceOffset: 100, byteLength: 150 }]);
  });

  it("folds a fragment's tfdt gap into the previous fragment's last sample", () => {
    const index = new SampleIndex();
    index.add([run(0, [1, 1], { decodeTime: 500 })]); // durations 1000 each: next expected 2500
    index.add([run(2, [1], { decodeTime: 2800 })]); // 300 later than the durations say
    index.add([run(3, [1], { decodeTime: 2700 })]); // would make the last duration negative: kept
    const track = index.tracks.get(1);
    expect(track?.durations).toEqual([1000, 1300, 1000, 1000]);
    expect(track?.totalDuration).toBe(4300);
  });

  it('writes a signed ctts (version 1) for negative composition offsets', () => {
    const index = new SampleIndex();
    index.add([run(0, [1, 1, 1], { compositionOffsets: [0, -1000, 2000] })]);
    index.layout(0);
    const track = index.tracks.get(1);
    if (!track) throw new Error('track missing');
    const ctts = tables(sampleTableBox(STSD, track, false)).get('ctts');
    expect(ctts?.readUInt8(0)).toBe(1);
    expect(ctts?.readInt32BE(20)).toBe(-1000); // second (count, offset) pair
  });

  it('uses a 64-bit mdat largesize beyond 4 GiB', () => {
    expect(mdatHeader(100).toString('hex')).toBe('0000006c6d646174');
    const large = mdatHeader(2 ** 32);
    expect(large.length).toBe(16);
    expect(large.readUInt32BE(0)).toBe(1);
    expect(large.readBigUInt64BE(8)).toBe(2n ** 32n + 16n);
  });
});
