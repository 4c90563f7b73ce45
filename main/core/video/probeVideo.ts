import { open } from 'node:fs/promises';
import type { ProbeOptions, VideoProbe } from './types';
import { refusalFor, VideoFormatError } from './VideoRefusedError';
import { readAt } from './mp4/boxes';
import { probeMp4 } from './mp4/probeMp4';
import { probeMatroska } from './webm/probeMatroska';

/** RFC 8794 EBML magic, first bytes of every WebM/Matroska file. */
const EBML_MAGIC = 0x1a45dfa3;
const MAGIC_BYTES = 4;

/**
 * Probes a video file without decoding: MP4 and fragmented MP4 from their boxes (ISO/IEC 14496-12),
 * WebM/Matroska from its elements. Reads headers and small boxes only, so any size probes in
 * constant memory. Throws VideoRefusedError naming the file and the reason (not a video, truncated,
 * corrupt, no frames); with `recoverTruncated`, a fragmented recording cut off mid-fragment is
 * probed up to its last complete fragment instead.
 */
export async function probeVideo(file: string, options: ProbeOptions = {}): Promise<VideoProbe> {
  try {
    const handle = await open(file, 'r');
    try {
      const magic = await readAt(handle, 0, MAGIC_BYTES);
      if (magic.length < MAGIC_BYTES) throw new VideoFormatError('not a video: file is too short');
      if (magic.readUInt32BE(0) === EBML_MAGIC) return await probeMatroska(handle, options.signal);
      return await probeMp4(handle, options);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw refusalFor(file, error);
  }
}
