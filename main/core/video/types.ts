/** What the boxes (or Matroska elements) of a video file say, learned without decoding. */
export interface VideoProbe {
  /** 'h264' | 'hevc' | 'vp8' | 'vp9' | 'av1' | 'mpeg4' | the raw sample entry / codec id otherwise. */
  codec: 'h264' | 'hevc' | (string & Record<never, never>);
  /** 'High', 'Main', 'Constrained Baseline', 'Main 10' …; '' when the container does not say. */
  profile: string;
  /** Level as a number (H.264 level_idc / 10, HEVC general_level_idc / 30); 0 when unknown. */
  level: number;
  width: number;
  height: number;
  /** Frames per second, measured as frameCount / durationSeconds (variable timing averages out). */
  frameRate: number;
  frameCount: number;
  durationSeconds: number;
  byteLength: number;
  /** True for fragmented MP4 (ISO/IEC 14496-12 8.8 Movie Fragments: mvex + moof/mdat pairs). */
  fragmented: boolean;
  /** True when recoverTruncated dropped a cut-off last fragment. Addition to the agreed contract. */
  truncated?: boolean;
  /** Container the probe recognised. Addition to the agreed contract. */
  container: 'mp4' | 'matroska';
}

export interface PreparedVideo {
  /** Standard progressive MP4 inside workDir, ready to embed whole (PS3.5 8.2.7/8.2.8). */
  file: string;
  transferSyntaxUid: string;
  /** Probe of `file` (after remux or re-encode), not of the input. */
  probe: VideoProbe;
  /** How `file` was made from the input. Addition to the agreed contract. */
  method: 'linked' | 'copied' | 'remuxed' | 'reencoded';
}

/** Options of probeVideo. Addition to the agreed contract. */
export interface ProbeOptions {
  signal?: AbortSignal;
  /**
   * Accept a fragmented recording whose end is missing (crash or power loss while recording): use
   * the complete fragments and drop the cut one, instead of refusing the file.
   */
  recoverTruncated?: boolean;
}

export interface PrepareVideoOptions {
  /** Called with 0..1 while remuxing or re-encoding. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
  /** See ProbeOptions.recoverTruncated. Addition to the agreed contract. */
  recoverTruncated?: boolean;
}
