import type { FileHandle } from 'node:fs/promises';
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

/** Elements scanned through rather than skipped: their children are what we look at. */
const ENTERED = new Set<number>([ID.Segment, ID.Cluster, ID.BlockGroup]);
const READ_WHOLE = new Set<number>([ID.Info, ID.Tracks]);
const MAX_HEADER_ELEMENT_BYTES = 4 * 1024 * 1024;
const TRACK_TYPE_VIDEO = 1;
const DEFAULT_TIMESTAMP_SCALE_NS = 1_000_000;
/** Block header: track number VINT (≤ 8 bytes), 16-bit relative timestamp, flags (RFC 9559 10.1). */
const BLOCK_HEAD_BYTES = 11;
const TIMESTAMP_AND_FLAGS_BYTES = 3;
/** SimpleBlock flags (RFC 9559 10.2): keyframe, and the two lacing bits. */
const FLAG_KEYFRAME = 0x80;
const FLAG_LACING = 0x06;

const CODEC_OF_ID: Readonly<Record<string, string>> = {
  V_VP8: 'vp8',
  V_VP9: 'vp9',
  V_AV1: 'av1',
  'V_MPEG4/ISO/AVC': 'h264',
  'V_MPEGH/ISO/HEVC': 'hevc',
};

export interface MatroskaVideoTrack {
  number: number;
  codec: string;
  profile: string;
  level: number;
  width: number;
  height: number;
  /** CodecPrivate: for V_MPEG4/ISO/AVC, an AVCDecoderConfigurationRecord (ISO/IEC 14496-15). */
  codecPrivate: Buffer | null;
}

/** One block of the video track, with its frame data located in the file. */
export interface MatroskaBlock {
  /** Absolute timestamp in TimestampScale units. */
  timestamp: number;
  dataStart: number;
  byteLength: number;
  /** Known only for SimpleBlock; a Block inside a BlockGroup reports null. */
  keyframe: boolean | null;
  laced: boolean;
}

export interface MatroskaScan {
  track: MatroskaVideoTrack;
  /** Tracks other than the video track (audio, subtitles). */
  otherTracks: number;
  timestampScale: number;
  declaredDuration: number;
  fileSize: number;
}

function fieldsOf(data: Buffer): Map<number, Buffer> {
  const fields = new Map<number, Buffer>();
  for (const field of memoryElements(data)) fields.set(field.id, field.data);
  return fields;
}

function parseTracks(tracks: Buffer): { track: MatroskaVideoTrack; otherTracks: number } {
  let track: MatroskaVideoTrack | null = null;
  let otherTracks = 0;
  for (const entry of memoryElements(tracks)) {
    if (entry.id !== ID.TrackEntry) continue;
    const fields = fieldsOf(entry.data);
    const isVideo = uintOf(fields.get(ID.TrackType) ?? Buffer.alloc(0)) === TRACK_TYPE_VIDEO;
    if (!isVideo || track !== null) {
      otherTracks++;
      continue;
    }
    const codecId = (fields.get(ID.CodecID) ?? Buffer.alloc(0)).toString('latin1');
    const video = fieldsOf(fields.get(ID.Video) ?? Buffer.alloc(0));
    const codec = CODEC_OF_ID[codecId] ?? codecId;
    const codecPrivate = fields.get(ID.CodecPrivate) ?? null;
    const parse = codec === 'h264' ? parseAvcC : codec === 'hevc' ? parseHvcC : null;
    const config = codecPrivate && parse ? parse(codecPrivate) : { profile: '', level: 0 };
    track = {
      number: uintOf(fields.get(ID.TrackNumber) ?? Buffer.alloc(0)),
      codec,
      ...config,
      width: uintOf(video.get(ID.PixelWidth) ?? Buffer.alloc(0)),
      height: uintOf(video.get(ID.PixelHeight) ?? Buffer.alloc(0)),
      codecPrivate: codecPrivate ? Buffer.from(codecPrivate) : null,
    };
  }
  if (track === null)
    throw new VideoFormatError('not a video: the Matroska file has no video track');
  return { track, otherTracks };
}

interface ScanState {
  tracks: { track: MatroskaVideoTrack; otherTracks: number } | null;
  timestampScale: number;
  declaredDuration: number;
  clusterTimestamp: number;
}

async function readBlock(
  handle: FileHandle,
  element: { id: number; dataStart: number; size: number },
  state: ScanState,
): Promise<MatroskaBlock | null> {
  const head = await readAt(handle, element.dataStart, Math.min(BLOCK_HEAD_BYTES, element.size));
  const trackNumber = readVint(head, 0);
  if (state.tracks === null || trackNumber.value !== state.tracks.track.number) return null;
  if (head.length < trackNumber.length + TIMESTAMP_AND_FLAGS_BYTES) {
    throw new VideoFormatError('corrupt: Matroska block shorter than its header');
  }
  const flags = head.readUInt8(trackNumber.length + 2);
  const headerBytes = trackNumber.length + TIMESTAMP_AND_FLAGS_BYTES;
  return {
    timestamp: state.clusterTimestamp + head.readInt16BE(trackNumber.length),
    dataStart: element.dataStart + headerBytes,
    byteLength: element.size - headerBytes,
    keyframe: element.id === ID.SimpleBlock ? (flags & FLAG_KEYFRAME) !== 0 : null,
    laced: (flags & FLAG_LACING) !== 0,
  };
}

async function readHeaderElement(
  handle: FileHandle,
  id: number,
  dataStart: number,
  size: number,
  state: ScanState,
) {
  if (id === ID.Timestamp) {
    state.clusterTimestamp = uintOf(await readAt(handle, dataStart, size));
    return;
  }
  if (!READ_WHOLE.has(id)) return;
  if (size > MAX_HEADER_ELEMENT_BYTES)
    throw new VideoFormatError('corrupt: oversized Matroska header');
  const data = await readAt(handle, dataStart, size);
  if (id === ID.Tracks) {
    state.tracks = parseTracks(data);
    return;
  }
  const info = fieldsOf(data);
  const scale = info.get(ID.TimestampScale);
  const duration = info.get(ID.Duration);
  if (scale) state.timestampScale = uintOf(scale);
  if (duration) state.declaredDuration = floatOf(duration);
}

/**
 * Walks a WebM/Matroska file (RFC 9559) by element headers, in constant memory, handing each block
 * of the (first) video track to `onBlock`. Live recorders write unknown-size Segment and Cluster
 * elements; those are entered, every other element is read (Info, Tracks, Timestamp) or skipped.
 */
export async function scanMatroska(
  handle: FileHandle,
  onBlock: (block: MatroskaBlock) => void,
  signal?: AbortSignal,
): Promise<MatroskaScan> {
  const fileSize = (await handle.stat()).size;
  const state: ScanState = {
    tracks: null,
    timestampScale: DEFAULT_TIMESTAMP_SCALE_NS,
    declaredDuration: 0,
    clusterTimestamp: 0,
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
    if (element.id === ID.SimpleBlock || element.id === ID.Block) {
      const block = await readBlock(handle, { ...element, size: element.dataSize }, state);
      if (block) onBlock(block);
    } else {
      await readHeaderElement(handle, element.id, element.dataStart, element.dataSize, state);
    }
    offset = end;
  }
  if (state.tracks === null) throw new VideoFormatError('corrupt: Matroska file without Tracks');
  return {
    ...state.tracks,
    timestampScale: state.timestampScale,
    declaredDuration: state.declaredDuration,
    fileSize,
  };
}
