import { VideoFormatError } from '../VideoRefusedError';
import { Cursor } from './Cursor';
import { children, payload, type MemoryBox } from './boxes';
import type { TrackDefaults } from './movie';

/** One 'trun' resolved to absolute file positions (ISO/IEC 14496-12 8.8.8). */
export interface TrackRun {
  trackId: number;
  sampleDescriptionIndex: number;
  /** Absolute file offset of the run's first sample; its samples are contiguous. */
  dataStart: number;
  byteLength: number;
  sizes: number[];
  durations: number[];
  /** 8.8.3.1 sample_flags per sample. */
  flags: number[];
  /** Composition time offsets, or null when the run carries none. */
  compositionOffsets: number[] | null;
  /** 8.8.12 'tfdt' baseMediaDecodeTime, on the first run of a 'traf' that has one. */
  decodeTime: number | null;
}

/** 8.8.7 TrackFragmentHeaderBox tf_flags. */
const TFHD_BASE_DATA_OFFSET = 0x000001;
const TFHD_SAMPLE_DESCRIPTION_INDEX = 0x000002;
const TFHD_DEFAULT_DURATION = 0x000008;
const TFHD_DEFAULT_SIZE = 0x000010;
const TFHD_DEFAULT_FLAGS = 0x000020;
const TFHD_DEFAULT_BASE_IS_MOOF = 0x020000;
/** 8.8.8 TrackRunBox tr_flags. */
const TRUN_DATA_OFFSET = 0x000001;
const TRUN_FIRST_SAMPLE_FLAGS = 0x000004;
const TRUN_DURATION = 0x000100;
const TRUN_SIZE = 0x000200;
const TRUN_FLAGS = 0x000400;
const TRUN_COMPOSITION_OFFSET = 0x000800;
/** 8.8.3.1 sample_is_non_sync_sample. */
export const SAMPLE_IS_NON_SYNC = 0x00010000;

interface FragmentHeader {
  trackId: number;
  base: number;
  defaults: TrackDefaults;
}

function parseTfhd(
  tfhd: MemoryBox,
  moofStart: number,
  implicitBase: number,
  trex: Map<number, TrackDefaults>,
): FragmentHeader {
  const cursor = new Cursor(payload(tfhd), 'tfhd');
  const { flags } = cursor.fullBox();
  const trackId = cursor.u32();
  const inherited = trex.get(trackId);
  if (inherited === undefined) {
    throw new VideoFormatError(`corrupt: fragment of track ${trackId}, which has no 'trex' box`);
  }
  let base = flags & TFHD_DEFAULT_BASE_IS_MOOF ? moofStart : implicitBase;
  if (flags & TFHD_BASE_DATA_OFFSET) base = cursor.u64();
  const defaults = { ...inherited };
  if (flags & TFHD_SAMPLE_DESCRIPTION_INDEX) defaults.sampleDescriptionIndex = cursor.u32();
  if (flags & TFHD_DEFAULT_DURATION) defaults.duration = cursor.u32();
  if (flags & TFHD_DEFAULT_SIZE) defaults.size = cursor.u32();
  if (flags & TFHD_DEFAULT_FLAGS) defaults.flags = cursor.u32();
  return { trackId, base, defaults };
}

function parseTrun(trun: MemoryBox, header: FragmentHeader, runStart: number): TrackRun {
  const cursor = new Cursor(payload(trun), 'trun');
  const { version, flags } = cursor.fullBox();
  const count = cursor.u32();
  const dataStart = flags & TRUN_DATA_OFFSET ? header.base + cursor.i32() : runStart;
  const firstFlags = flags & TRUN_FIRST_SAMPLE_FLAGS ? cursor.u32() : null;
  const { defaults } = header;
  const run: TrackRun = {
    trackId: header.trackId,
    sampleDescriptionIndex: defaults.sampleDescriptionIndex,
    dataStart,
    byteLength: 0,
    sizes: [],
    durations: [],
    flags: [],
    compositionOffsets: flags & TRUN_COMPOSITION_OFFSET ? [] : null,
    decodeTime: null,
  };
  for (let i = 0; i < count; i++) {
    run.durations.push(flags & TRUN_DURATION ? cursor.u32() : defaults.duration);
    const size = flags & TRUN_SIZE ? cursor.u32() : defaults.size;
    run.sizes.push(size);
    run.byteLength += size;
    const sampleFlags = flags & TRUN_FLAGS ? cursor.u32() : defaults.flags;
    run.flags.push(i === 0 && firstFlags !== null ? firstFlags : sampleFlags);
    // Version 1 offsets are signed; version 0 ones unsigned (8.8.8.2).
    if (run.compositionOffsets)
      run.compositionOffsets.push(version === 1 ? cursor.i32() : cursor.u32());
  }
  if (dataStart < 0) throw new VideoFormatError("corrupt: 'trun' points before the file start");
  return run;
}

/** 8.8.12 TrackFragmentBaseMediaDecodeTimeBox: 64-bit in version 1. */
function baseMediaDecodeTime(tfdt: MemoryBox): number {
  const cursor = new Cursor(payload(tfdt), 'tfdt');
  const { version } = cursor.fullBox();
  return cursor.uVersioned(version);
}

/**
 * Resolves every 'trun' of a 'moof' (read whole; `moofStart` is its absolute offset) into absolute
 * sample ranges, following 8.8.7.1's base-data-offset rules: explicit base, else the moof when
 * default-base-is-moof is set or for the first 'traf', else the end of the previous traf's data.
 */
export function parseMovieFragment(
  moof: MemoryBox,
  moofStart: number,
  trex: Map<number, TrackDefaults>,
): TrackRun[] {
  const runs: TrackRun[] = [];
  let previousTrafEnd = moofStart;
  for (const traf of children(moof).filter((box) => box.type === 'traf')) {
    const parts = children(traf);
    const tfhd = parts.find((box) => box.type === 'tfhd');
    if (tfhd === undefined) throw new VideoFormatError("corrupt: 'traf' box has no 'tfhd' box");
    const header = parseTfhd(tfhd, moofStart, previousTrafEnd, trex);
    const tfdt = parts.find((box) => box.type === 'tfdt');
    let decodeTime = tfdt ? baseMediaDecodeTime(tfdt) : null;
    let runStart = header.base;
    for (const trun of parts.filter((box) => box.type === 'trun')) {
      const run = { ...parseTrun(trun, header, runStart), decodeTime };
      decodeTime = null;
      runs.push(run);
      runStart = run.dataStart + run.byteLength;
    }
    previousTrafEnd = runStart;
  }
  return runs;
}
