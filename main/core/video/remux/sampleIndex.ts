import { SAMPLE_IS_NON_SYNC, type TrackRun } from '../mp4/fragments';

/** A run of contiguous samples of one track, copied as one chunk (ISO/IEC 14496-12 8.7.4). */
export interface Chunk {
  trackId: number;
  sourceOffset: number;
  byteLength: number;
  sampleCount: number;
  sampleDescriptionIndex: number;
  /** Offset of the chunk in the output file, assigned by the layout. */
  outputOffset: number;
}

/** Everything a progressive sample table needs for one track, gathered from its fragments. */
export class TrackSamples {
  readonly sizes: number[] = [];
  readonly durations: number[] = [];
  /** 1-based numbers of sync samples (8.6.2 'stss'). */
  readonly syncSamples: number[] = [];
  readonly compositionOffsets: number[] = [];
  hasCompositionOffsets = false;
  readonly chunks: Chunk[] = [];
  totalDuration = 0;
  /** Decode time of the first sample ('tfdt' of the first fragment, else 0). */
  firstDecodeTime: number | null = null;

  constructor(readonly trackId: number) {}

  get sampleCount(): number {
    return this.sizes.length;
  }
}

/**
 * A fragment's 'tfdt' says when its first sample is decoded. A recorder must guess the duration of
 * the last sample of each fragment (the next frame is not yet known); when the next fragment's
 * decode time disagrees, fold the difference into that last sample, so the progressive timeline
 * matches the fragmented one instead of drifting.
 */
function alignToDecodeTime(track: TrackSamples, decodeTime: number): void {
  if (track.firstDecodeTime === null) {
    // Samples from the 'moov' (if any) start at decode time 0.
    track.firstDecodeTime = track.sampleCount === 0 ? decodeTime : 0;
    if (track.sampleCount === 0) return;
  }
  const last = track.durations.length - 1;
  const gap = decodeTime - (track.firstDecodeTime + track.totalDuration);
  const lastDuration = track.durations[last];
  if (gap === 0 || lastDuration === undefined || lastDuration + gap <= 0) return;
  track.durations[last] = lastDuration + gap;
  track.totalDuration += gap;
}

/** Collects the runs of every movie fragment, in file order, into per-track sample tables. */
export class SampleIndex {
  readonly tracks = new Map<number, TrackSamples>();
  /** All chunks in file order: the output keeps the input's interleaving. */
  readonly chunks: Chunk[] = [];
  dataBytes = 0;

  add(runs: TrackRun[]): void {
    for (const run of runs) if (run.sizes.length > 0) this.addRun(run);
  }

  private addRun(run: TrackRun): void {
    let track = this.tracks.get(run.trackId);
    if (track === undefined) {
      track = new TrackSamples(run.trackId);
      this.tracks.set(run.trackId, track);
    }
    if (run.decodeTime !== null) alignToDecodeTime(track, run.decodeTime);
    for (let i = 0; i < run.sizes.length; i++) {
      const flags = run.flags[i] ?? 0;
      track.sizes.push(run.sizes[i] ?? 0);
      const duration = run.durations[i] ?? 0;
      track.durations.push(duration);
      track.totalDuration += duration;
      if (!(flags & SAMPLE_IS_NON_SYNC)) track.syncSamples.push(track.sizes.length);
      const offset = run.compositionOffsets?.[i] ?? 0;
      track.compositionOffsets.push(offset);
      if (offset !== 0) track.hasCompositionOffsets = true;
    }
    const chunk: Chunk = {
      trackId: run.trackId,
      sourceOffset: run.dataStart,
      byteLength: run.byteLength,
      sampleCount: run.sizes.length,
      sampleDescriptionIndex: run.sampleDescriptionIndex,
      outputOffset: 0,
    };
    track.chunks.push(chunk);
    this.chunks.push(chunk);
    this.dataBytes += run.byteLength;
  }

  /** Places the chunks back to back from `dataStart` (the first byte after the mdat header). */
  layout(dataStart: number): void {
    let offset = dataStart;
    for (const chunk of this.chunks) {
      chunk.outputOffset = offset;
      offset += chunk.byteLength;
    }
  }
}

/** Adjacent chunks that are also adjacent in the input, merged so the copy makes few large reads. */
export function copySpans(
  chunks: readonly Chunk[],
): { sourceOffset: number; byteLength: number }[] {
  const spans: { sourceOffset: number; byteLength: number }[] = [];
  for (const chunk of chunks) {
    const last = spans[spans.length - 1];
    if (last && last.sourceOffset + last.byteLength === chunk.sourceOffset) {
      last.byteLength += chunk.byteLength;
    } else {
      spans.push({ sourceOffset: chunk.sourceOffset, byteLength: chunk.byteLength });
    }
  }
  return spans;
}
