import { open } from 'node:fs/promises';
import { VideoFormatError } from '../VideoRefusedError';
import { scanMp4 } from '../mp4/scanMp4';
import { parseVideoSampleEntry } from '../mp4/sampleEntry';
import { videoTrackOf, type MovieInfo } from '../mp4/movie';
import { movieSampleRuns } from '../mp4/movieSamples';
import { buildMovie } from './movieWriter';
import { SampleIndex } from './sampleIndex';
import { buildHead, fileType, writeProgressive, type RemuxOptions } from './writeProgressive';

export type { RemuxOptions } from './writeProgressive';

/** Runs of the moov's own samples, all tracks, in file order (the order they are copied in). */
function samplesOfMovie(movie: MovieInfo) {
  return movie.tracks.flatMap(movieSampleRuns).sort((a, b) => a.dataStart - b.dataStart);
}

/**
 * Turns a fragmented MP4 (ISO/IEC 14496-12 8.8) into a progressive one without re-encoding: the
 * samples of every moof/mdat pair (and any the moov itself describes) are copied in order into one
 * 'mdat', and a 'moov' with full sample tables is built from the 'trun' entries; sample
 * descriptions (avcC/hvcC) are kept as they are. Streams disk to disk in constant memory; temp file
 * + fsync + rename. Throws VideoFormatError on structural problems; rethrows aborts.
 */
export async function remuxFragmented(
  inputFile: string,
  outputFile: string,
  options: RemuxOptions = {},
): Promise<void> {
  const index = new SampleIndex();
  const input = await open(inputFile, 'r');
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
    const codec = parseVideoSampleEntry(videoTrackOf(scan.movie).stsd).codec;
    const head = buildHead(fileType(codec), index, (wide) => buildMovie(scan.movie, index, wide));
    await writeProgressive(input, outputFile, head, index, options);
  } finally {
    await input.close();
  }
}
