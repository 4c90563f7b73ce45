import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { VideoFormatError } from '../VideoRefusedError';
import { scanMp4 } from '../mp4/scanMp4';
import { parseVideoSampleEntry } from '../mp4/sampleEntry';
import { videoTrackOf, type MovieInfo } from '../mp4/movie';
import { movieSampleRuns } from '../mp4/movieSamples';
import { box, mdatHeader, MAX_U32, u32 } from './boxWriter';
import { buildMovie } from './movieWriter';
import { copySpans, SampleIndex } from './sampleIndex';
import { copyRanges } from './copyRanges';

export interface RemuxOptions {
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
  recoverTruncated?: boolean;
}

/** 4.3 FileTypeBox for a plain progressive MP4: 'isom' with the codec's brand. */
function fileType(movie: MovieInfo): Buffer {
  const codec = parseVideoSampleEntry(videoTrackOf(movie).stsd).codec;
  const brands = ['isom', 'iso2', codec === 'hevc' ? 'hvc1' : 'avc1', 'mp41'];
  return box(
    'ftyp',
    Buffer.from('isom', 'latin1'),
    u32(0x200),
    Buffer.from(brands.join(''), 'latin1'),
  );
}

/** Runs of the moov's own samples, all tracks, in file order (the order they are copied in). */
function samplesOfMovie(movie: MovieInfo) {
  return movie.tracks.flatMap(movieSampleRuns).sort((a, b) => a.dataStart - b.dataStart);
}

/** The 'ftyp', 'moov' and 'mdat' header that precede the copied sample data. */
function buildHead(movie: MovieInfo, index: SampleIndex): Buffer {
  const ftyp = fileType(movie);
  const mdat = mdatHeader(index.dataBytes);
  index.layout(0);
  const wideEstimate = ftyp.length + buildMovie(movie, index, true).length + mdat.length;
  const wide = wideEstimate + index.dataBytes > MAX_U32;
  // The moov's size does not depend on the offset values, only on stco vs co64: lay out twice.
  const sized = buildMovie(movie, index, wide);
  index.layout(ftyp.length + sized.length + mdat.length);
  const moov = buildMovie(movie, index, wide);
  if (moov.length !== sized.length) throw new Error('moov size changed between layouts');
  return Buffer.concat([ftyp, moov, mdat]);
}

/**
 * Turns a fragmented MP4 (ISO/IEC 14496-12 8.8) into a progressive one without re-encoding: the
 * samples of every moof/mdat pair are copied in order into one 'mdat', and a 'moov' with full
 * sample tables is built from the 'trun' entries; sample descriptions (avcC/hvcC) are kept as they
 * are. Streams disk to disk in constant memory; writes a temporary file in the target's folder,
 * flushes it and renames it, so `outputFile` is never half written. Throws VideoFormatError on
 * structural problems; rethrows aborts.
 */
export async function remuxFragmented(
  inputFile: string,
  outputFile: string,
  options: RemuxOptions = {},
) {
  const index = new SampleIndex();
  const input = await open(inputFile, 'r');
  const temporary = `${outputFile}.${randomBytes(6).toString('hex')}.part`;
  try {
    // Samples the moov describes (first fragment inside it) precede those of any moof.
    let movieSamplesAdded = false;
    const addMovieSamples = (movie: MovieInfo) => {
      if (!movieSamplesAdded) index.add(samplesOfMovie(movie));
      movieSamplesAdded = true;
    };
    const scan = await scanMp4(
      input,
      (runs, movie) => {
        addMovieSamples(movie);
        index.add(runs);
      },
      options,
    );
    addMovieSamples(scan.movie);
    if (index.dataBytes === 0) throw new VideoFormatError('empty: the fragments hold no samples');
    const head = buildHead(scan.movie, index);
    const output = await open(temporary, 'wx');
    try {
      await output.write(head, 0, head.length, 0);
      await copyRanges(input, output, copySpans(index.chunks), head.length, {
        onBytes: (copied) => options.onProgress?.(copied / index.dataBytes),
        signal: options.signal,
      });
      await output.sync();
    } finally {
      await output.close();
    }
    await rename(temporary, outputFile);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  } finally {
    await input.close();
  }
}
