/**
 * Video for DICOM (PS3.5 8.2.7/8.2.8/8.2.9): probe MP4/fMP4/WebM from their boxes, choose the
 * transfer syntax the stream satisfies, remux fragmented MP4 to progressive, re-encode the rest.
 */
export type { VideoProbe, PreparedVideo, PrepareVideoOptions, ProbeOptions } from './types';
export { VideoRefusedError } from './VideoRefusedError';
export { probeVideo } from './probeVideo';
export {
  chooseTransferSyntax,
  VideoTransferSyntax,
  MAX_SINGLE_FRAGMENT_BYTES,
} from './transferSyntax';
export { prepareVideo } from './prepareVideo';
export { MAX_REENCODE_SECONDS } from './reencode/reencodeVideo';
