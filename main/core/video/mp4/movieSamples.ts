import { VideoFormatError } from '../VideoRefusedError';
import { Cursor } from './Cursor';
import { findChild, payload, requireChild, type MemoryBox } from './boxes';
import { SAMPLE_IS_NON_SYNC, type TrackRun } from './fragments';
import type { TrackInfo } from './movie';

/** 8.7.3.2 'stsz': one size for all samples, or one per sample. */
function sampleSizes(stbl: MemoryBox): number[] {
  const cursor = new Cursor(payload(requireChild(stbl, 'stsz')), 'stsz');
  cursor.fullBox();
  const fixed = cursor.u32();
  const count = cursor.u32();
  return Array.from({ length: count }, () => (fixed !== 0 ? fixed : cursor.u32()));
}

/** Expands run-length (count, value) pairs of 'stts' (8.6.1.2) or 'ctts' (8.6.1.3). */
function expandPairs(box: MemoryBox, signedInVersion1: boolean): number[] {
  const cursor = new Cursor(payload(box), box.type);
  const { version } = cursor.fullBox();
  const values: number[] = [];
  for (let entries = cursor.u32(); entries > 0; entries--) {
    const count = cursor.u32();
    const value = signedInVersion1 && version === 1 ? cursor.i32() : cursor.u32();
    for (let i = 0; i < count; i++) values.push(value);
  }
  return values;
}

/** 8.6.2 'stss' as a set of 1-based sample numbers; null when absent (every sample is sync). */
function syncSamples(stbl: MemoryBox): Set<number> | null {
  const stss = findChild(stbl, 'stss');
  if (stss === undefined) return null;
  const cursor = new Cursor(payload(stss), 'stss');
  cursor.fullBox();
  const numbers = new Set<number>();
  for (let entries = cursor.u32(); entries > 0; entries--) numbers.add(cursor.u32());
  return numbers;
}

/** 8.7.5 'stco' or 'co64' chunk offsets. */
function chunkOffsets(stbl: MemoryBox): number[] {
  const box = findChild(stbl, 'stco') ?? findChild(stbl, 'co64');
  if (box === undefined) throw new VideoFormatError("corrupt: 'stbl' box has no 'stco' box");
  const cursor = new Cursor(payload(box), box.type);
  cursor.fullBox();
  return Array.from({ length: cursor.u32() }, () =>
    box.type === 'co64' ? cursor.u64() : cursor.u32(),
  );
}

/** 8.7.4 'stsc' expanded to (samples, sample_description_index) per chunk. */
function chunkLayout(
  stbl: MemoryBox,
  chunkCount: number,
): { samples: number; description: number }[] {
  const cursor = new Cursor(payload(requireChild(stbl, 'stsc')), 'stsc');
  cursor.fullBox();
  const entries = Array.from({ length: cursor.u32() }, () => ({
    first: cursor.u32(),
    samples: cursor.u32(),
    description: cursor.u32(),
  }));
  return Array.from({ length: chunkCount }, (_, index) => {
    const entry = entries.findLast((candidate) => candidate.first <= index + 1);
    if (entry === undefined) throw new VideoFormatError("corrupt: 'stsc' does not cover chunk 1");
    return { samples: entry.samples, description: entry.description };
  });
}

/**
 * The samples a 'moov' itself describes (a fragmented file whose first fragment sits in the moov,
 * as ffmpeg writes without empty_moov), as one TrackRun per chunk, in the track's order.
 */
export function movieSampleRuns(track: TrackInfo): TrackRun[] {
  if (track.sampleCount === 0) return [];
  const stbl = requireChild(track.trak, 'mdia', 'minf', 'stbl');
  const sizes = sampleSizes(stbl);
  const durations = expandPairs(requireChild(stbl, 'stts'), false);
  const cttsBox = findChild(stbl, 'ctts');
  const offsets = cttsBox ? expandPairs(cttsBox, true) : null;
  const sync = syncSamples(stbl);
  const chunkStarts = chunkOffsets(stbl);
  const runs: TrackRun[] = [];
  let sample = 0;
  chunkLayout(stbl, chunkStarts.length).forEach(({ samples, description }, chunk) => {
    const range = { from: sample, to: Math.min(sample + samples, sizes.length) };
    const runSizes = sizes.slice(range.from, range.to);
    runs.push({
      trackId: track.trackId,
      sampleDescriptionIndex: description,
      dataStart: chunkStarts[chunk] ?? 0,
      byteLength: runSizes.reduce((sum, size) => sum + size, 0),
      sizes: runSizes,
      durations: durations.slice(range.from, range.to),
      flags: runSizes.map((_, i) =>
        sync === null || sync.has(range.from + i + 1) ? 0 : SAMPLE_IS_NON_SYNC,
      ),
      compositionOffsets: offsets ? offsets.slice(range.from, range.to) : null,
      decodeTime: null,
    });
    sample = range.to;
  });
  if (sample !== sizes.length) throw new VideoFormatError("corrupt: 'stsc' and 'stsz' disagree");
  return runs;
}
