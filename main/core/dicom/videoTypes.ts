import type { PreparedVideo, PrepareVideoOptions, VideoProbe } from '../video';

export type { PreparedVideo, VideoProbe };

/**
 * main/core/video's prepareVideo, as wrapCapture takes it by injection: stills and PDFs never load
 * the video module, and tests can hand in a stub for a stream they made themselves.
 */
export type VideoPreparer = (
  inputFile: string,
  workDir: string,
  options?: PrepareVideoOptions,
) => Promise<PreparedVideo>;
