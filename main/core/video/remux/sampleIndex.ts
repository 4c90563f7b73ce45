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

  constructor(readonly trackId: number) {}

  get sampleCount(): number {
    return this.sizes.length;
  }
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
