import { describe, expect, it } from 'vitest';
import { memoryBox, payload } from '../../../main/core/video/mp4/boxes';
import { fullBox, i32, u32 } from '../../../main/core/video/remux/boxWriter';
import { withDuration, withEditDuration } from '../../../main/core/video/remux/movieWriter';

const RATE_ONE = Buffer.from('00010000', 'hex');

describe('moov header rewriting (ISO/IEC 14496-12 8.2.2, 8.3.2, 8.6.6)', () => {
  it("gives a fragmented file's open-ended edit (segment_duration 0) the track duration", () => {
    const elst = fullBox('elst', 0, 0, u32(1), u32(0), i32(1024), RATE_ONE);
    const patched = payload(memoryBox(withEditDuration(memoryBox(elst), 90_000)));
    expect(patched.readUInt8(0)).toBe(1); // version 1: 64-bit fields
    expect(patched.readUInt32BE(4)).toBe(1);
    expect(patched.readBigUInt64BE(8)).toBe(90_000n);
    expect(patched.readBigInt64BE(16)).toBe(1024n);
    expect(patched.subarray(24).equals(RATE_ONE)).toBe(true);
  });

  it('keeps an edit list that already has durations, and negative media times', () => {
    const elst = fullBox('elst', 0, 0, u32(1), u32(500), i32(-1), RATE_ONE);
    expect(withEditDuration(memoryBox(elst), 90_000).equals(elst)).toBe(true);
    const empty = fullBox('elst', 0, 0, u32(1), u32(0), i32(-1), RATE_ONE);
    expect(payload(memoryBox(withEditDuration(memoryBox(empty), 7))).readBigInt64BE(16)).toBe(-1n);
  });

  it('rewrites tkhd as version 1 with the new duration, keeping the rest', () => {
    const tail = Buffer.alloc(60, 7);
    // version 0: creation, modification, track_ID, reserved, duration, then the rest
    const tkhd = fullBox('tkhd', 0, 3, u32(11), u32(12), u32(1), u32(0), u32(0), tail);
    const patched = payload(memoryBox(withDuration(memoryBox(tkhd), 2 ** 33)));
    expect(patched.readUInt32BE(0)).toBe(0x01000003);
    expect(patched.readBigUInt64BE(4)).toBe(11n);
    expect(patched.readBigUInt64BE(12)).toBe(12n);
    expect(patched.readUInt32BE(20)).toBe(1);
    expect(patched.readBigUInt64BE(28)).toBe(2n ** 33n);
    expect(patched.subarray(36).equals(tail)).toBe(true);
  });
});
