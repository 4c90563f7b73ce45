import type { FileHandle } from 'node:fs/promises';
import type { VideoProbe } from '../types';
import { VideoFormatError } from '../VideoRefusedError';
import { readAt } from '../mp4/boxes';
import { parseAvcC, parseHvcC } from '../mp4/sampleEntry';
import { floatOf, memoryElements, readElementHeader, readVint, uintOf } from './ebml';

/** Matroska element IDs (RFC 9559 5.1). */
const ID = {
  Segment: 0x18538067,
  Info: 0x1549a966,
  TimestampScale: 0x2ad7b1,
  Duration: 0x4489,
  Tracks: 0x1654ae6b,
  TrackEntry: 0xae,
  TrackNumber: 0xd7,
  TrackType: 0x83,
  CodecID: 0x86,
  CodecPrivate: 0x63a2,
  Video: 0xe0,
  PixelWidth: 0xb0,
  PixelHeight: 0xba,
  Cluster: 0x1f43b675,
  Timestamp: 0xe7,
  BlockGroup: 0xa0,
  Block: 0xa1,
  SimpleBlock: 0xa3,
} as const;

/** Elements scanned through rather than skipped: their children are what we count. */
const ENTERED = new Set<number>([ID.Segment, ID.Cluster, ID.BlockGroup]);
const READ_WHOLE = new Set<number>([ID.Info, ID.Tracks]);
const MAX_HEADER_ELEMENT_BYTES = 4 * 1024 * 1024;
const TRACK_TYPE_VIDEO = 1;
const DEFAULT_TIMESTAMP_SCALE_NS = 1_000_000;
const NS_PER_SECOND = 1e9;
/** Block header: track number VINT, 16-bit relative timestamp, flags (RFC 9559 10.1). */
const BLOCK_HEAD_BYTES = 12;

const CODEC_OF_ID: Readonly<Record<string, string>> = {
  V_VP8: 'vp8',
  V_VP9: 'vp9',
  V_AV1: 'av1',
  'V_MPEG4/ISO/AVC': 'h264',
  'V_MPEGH/ISO/HEVC': 'hevc',
};

interface VideoTrack {
  number: number;
  codec: string;
  profile: string;
  level: number;
  width: number;
  height: number;
}

function parseVideoTrack(tracks: Buffer): VideoTrack {
  for (const entry of memoryElements(tracks)) {
    if (entry.id !== ID.TrackEntry) continue;
    const fields = new Map<number, Buffer>();
    for (const field of memoryElements(entry.data)) fields.set(field.id, field.data);
    if (uintOf(fields.get(ID.TrackType) ?? Buffer.alloc(0)) !== TRACK_TYPE_VIDEO) continue;
    const codecId = (fields.get(ID.CodecID) ?? Buffer.alloc(0)).toString('latin1');
    const video = new Map<number, Buffer>();
    for (const field of memoryElements(fields.get(ID.Video) ?? Buffer.alloc(0))) {
      video.set(field.id, field.data);
    }
    const codec = CODEC_OF_ID[codecId] ?? codecId;
    const privateData = fields.get(ID.CodecPrivate);
    const config =
      privateData && codec === 'h264'
        ? parseAvcC(privateData)
        : privateData && codec === 'hevc'
          ? parseHvcC(privateData)
          : { profile: '', level: 0 };
    return {
      number: uintOf(fields.get(ID.TrackNumber) ?? Buffer.alloc(0)),
      codec,
      ...config,
      width: uintOf(video.get(ID.PixelWidth) ?? Buffer.alloc(0)),
      height: uintOf(video.get(ID.PixelHeight) ?? Buffer.alloc(0)),
    };
  }
  throw new VideoFormatError('not a video: the Matroska file has no video track');
}

interface ScanState {
  track: VideoTrack | null;
  timestampScale: number;
  declaredDuration: number;
  clusterTimestamp: number;
  frames: number;
  firstTimestamp: number;
  lastTimestamp: number;
}

async function countBlock(handle: FileHandle, dataStart: number, state: ScanState) {
  const head = await readAt(handle, dataStart, BLOCK_HEAD_BYTES);
  const trackNumber = readVint(head, 0);
  if (state.track === null || trackNumber.value !== state.track.number) return;
  const timestamp = state.clusterTimestamp + head.readInt16BE(trackNumber.length);
  state.frames++;
  state.firstTimestamp = Math.min(state.firstTimestamp, timestamp);
  state.lastTimestamp = Math.max(state.lastTimestamp, timestamp);
}

/**
 * Probes WebM/Matroska (RFC 9559) by walking element headers: codec from CodecID (profile and level
 * from an AVC/HEVC CodecPrivate), size from PixelWidth/Height, frames by counting the video track's
 * blocks. Live recorders write unknown-size Segment/Cluster and no Duration (and declare 1000 fps),
 * so the duration comes from block timestamps. Memory stays flat.
 */
export async function probeMatroska(handle: FileHandle, signal?: AbortSignal): Promise<VideoProbe> {
  const fileSize = (await handle.stat()).size;
  const state: ScanState = {
    track: null,
    timestampScale: DEFAULT_TIMESTAMP_SCALE_NS,
    declaredDuration: 0,
    clusterTimestamp: 0,
    frames: 0,
    firstTimestamp: Infinity,
    lastTimestamp: -Infinity,
  };
  let offset = 0;
  while (offset < fileSize) {
    signal?.throwIfAborted();
    const element = await readElementHeader(handle, offset, fileSize);
    if (ENTERED.has(element.id)) {
      offset = element.dataStart;
      continue;
    }
    if (element.dataSize === null)
      throw new VideoFormatError('corrupt: unknown-size Matroska element');
    const end = element.dataStart + element.dataSize;
    if (end > fileSize)
      throw new VideoFormatError(`truncated: Matroska element at ${offset} ends past the file`);
    await readElement(handle, element.id, element.dataStart, element.dataSize, state);
    offset = end;
  }
  return summarise(state, fileSize);
}

async function readElement(
  handle: FileHandle,
  id: number,
  dataStart: number,
  size: number,
  state: ScanState,
) {
  if (id === ID.SimpleBlock || id === ID.Block) return countBlock(handle, dataStart, state);
  if (id === ID.Timestamp) {
    state.clusterTimestamp = uintOf(await readAt(handle, dataStart, size));
    return;
  }
  if (!READ_WHOLE.has(id)) return;
  if (size > MAX_HEADER_ELEMENT_BYTES)
    throw new VideoFormatError('corrupt: oversized Matroska header');
  const data = await readAt(handle, dataStart, size);
  if (id === ID.Tracks) {
    state.track = parseVideoTrack(data);
    return;
  }
  for (const field of memoryElements(data)) {
    if (field.id === ID.TimestampScale) state.timestampScale = uintOf(field.data);
    if (field.id === ID.Duration) state.declaredDuration = floatOf(field.data);
  }
}

function summarise(state: ScanState, fileSize: number): VideoProbe {
  const { track, frames } = state;
  if (track === null) throw new VideoFormatError('corrupt: Matroska file without Tracks');
  if (frames === 0) throw new VideoFormatError('empty: the video track has no frames');
  const secondsPerTick = state.timestampScale / NS_PER_SECOND;
  // Spread of timestamps covers frames-1 intervals; scale up to cover the last frame too.
  const spread = (state.lastTimestamp - state.firstTimestamp) * secondsPerTick;
  const measured = frames > 1 ? (spread * frames) / (frames - 1) : 0;
  const durationSeconds = measured > 0 ? measured : state.declaredDuration * secondsPerTick;
  return {
    codec: track.codec,
    profile: track.profile,
    level: track.level,
    width: track.width,
    height: track.height,
    frameRate: durationSeconds > 0 ? frames / durationSeconds : 0,
    frameCount: frames,
    durationSeconds,
    byteLength: fileSize,
    fragmented: false,
    truncated: false,
    container: 'matroska',
  };
}
