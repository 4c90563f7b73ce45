import type { TrackSamples } from './sampleIndex';
import { box, fullBox, MAX_U32, u32, u32Array, u64Array } from './boxWriter';

/** Run-length pairs (count, value) of a sequence, as 'stts' and 'ctts' store it. */
function runLengths(values: readonly number[]): number[] {
  const pairs: number[] = [];
  let i = 0;
  while (i < values.length) {
    const value = values[i] ?? 0;
    let count = 1;
    while (values[i + count] === value) count++;
    pairs.push(count, value);
    i += count;
  }
  return pairs;
}

/** 8.6.1.2 TimeToSampleBox. */
function stts(track: TrackSamples): Buffer {
  const pairs = runLengths(track.durations);
  return fullBox('stts', 0, 0, u32(pairs.length / 2), u32Array(pairs));
}

/** 8.6.1.3 CompositionOffsetBox; version 1 when any offset is negative. */
function ctts(track: TrackSamples): Buffer | null {
  if (!track.hasCompositionOffsets) return null;
  const pairs = runLengths(track.compositionOffsets);
  const signed = track.compositionOffsets.some((offset) => offset < 0);
  return fullBox('ctts', signed ? 1 : 0, 0, u32(pairs.length / 2), u32Array(pairs, signed));
}

/** 8.6.2 SyncSampleBox; absent when every sample is a sync sample. */
function stss(track: TrackSamples): Buffer | null {
  if (track.syncSamples.length === track.sampleCount) return null;
  return fullBox('stss', 0, 0, u32(track.syncSamples.length), u32Array(track.syncSamples));
}

/** 8.7.4 SampleToChunkBox: (first_chunk, samples_per_chunk, sample_description_index) runs. */
function stsc(track: TrackSamples): Buffer {
  const entries: number[] = [];
  track.chunks.forEach((chunk, index) => {
    const n = entries.length;
    if (
      n > 0 &&
      entries[n - 2] === chunk.sampleCount &&
      entries[n - 1] === chunk.sampleDescriptionIndex
    ) {
      return;
    }
    entries.push(index + 1, chunk.sampleCount, chunk.sampleDescriptionIndex);
  });
  return fullBox('stsc', 0, 0, u32(entries.length / 3), u32Array(entries));
}

/** 8.7.3.2 SampleSizeBox: one size for all, or a table. */
function stsz(track: TrackSamples): Buffer {
  const first = track.sizes[0] ?? 0;
  if (track.sizes.every((size) => size === first)) {
    return fullBox('stsz', 0, 0, u32(first), u32(track.sampleCount));
  }
  return fullBox('stsz', 0, 0, u32(0), u32(track.sampleCount), u32Array(track.sizes));
}

/** 8.7.5 ChunkOffsetBox 'stco', or 'co64' once an offset passes 4 GiB. */
function chunkOffsets(track: TrackSamples, wide: boolean): Buffer {
  const offsets = track.chunks.map((chunk) => chunk.outputOffset);
  if (wide) return fullBox('co64', 0, 0, u32(offsets.length), u64Array(offsets));
  if (offsets.some((offset) => offset > MAX_U32)) throw new RangeError('stco offset needs co64');
  return fullBox('stco', 0, 0, u32(offsets.length), u32Array(offsets));
}

/** 8.5.1 SampleTableBox for progressive playback, keeping the input's 'stsd' bytes as they are. */
export function sampleTableBox(stsd: Buffer, track: TrackSamples, wideOffsets: boolean): Buffer {
  const tables = [stts(track), ctts(track), stss(track), stsc(track), stsz(track)];
  const present = tables.filter((table): table is Buffer => table !== null);
  return box('stbl', stsd, ...present, chunkOffsets(track, wideOffsets));
}
