import { randomBytes } from 'node:crypto';
import { copyFile, link, mkdir, rename, rm } from 'node:fs/promises';
import { join, parse } from 'node:path';
import type { PreparedVideo, PrepareVideoOptions, VideoProbe } from './types';
import { refusalFor, VideoFormatError, VideoRefusedError } from './VideoRefusedError';
import { probeVideo } from './probeVideo';
import { chooseTransferSyntax } from './transferSyntax';
import { remuxFragmented } from './remux/remuxFragmented';
import { remuxMatroska } from './remux/remuxMatroska';
import { reencodeVideo } from './reencode/reencodeVideo';

/** Progress split when a step is followed by a probe of its output (which is quick). */
const DONE = 1;

/** `workDir/<input name>.<method>.mp4`, written via a temporary name and a rename. */
function targetFor(inputFile: string, workDir: string, method: PreparedVideo['method']): string {
  return join(workDir, `${parse(inputFile).name}.${method}.mp4`);
}

/**
 * An admissible progressive MP4 needs no rewrite: hard-link it into workDir (instant, same bytes),
 * or copy it when workDir is on another file system. Either way the caller owns `file` and may
 * delete it without touching the capture.
 */
async function placeUnchanged(inputFile: string, workDir: string) {
  const linked = targetFor(inputFile, workDir, 'linked');
  const temporary = `${linked}.${randomBytes(6).toString('hex')}.part`;
  try {
    await link(inputFile, temporary);
    await rename(temporary, linked);
    return { file: linked, method: 'linked' as const };
  } catch {
    await rm(temporary, { force: true });
  }
  const copied = targetFor(inputFile, workDir, 'copied');
  await copyFile(inputFile, temporary);
  await rename(temporary, copied);
  return { file: copied, method: 'copied' as const };
}

/** Probes a file we produced and insists a transfer syntax now admits it. */
async function admitted(inputFile: string, file: string, signal?: AbortSignal) {
  const probe = await probeVideo(file, { signal });
  const choice = chooseTransferSyntax(probe);
  if ('reencode' in choice) {
    await rm(file, { force: true });
    throw new VideoRefusedError(
      inputFile,
      `the converted stream is still not admissible: ${choice.reencode}`,
    );
  }
  return { probe, transferSyntaxUid: choice.uid };
}

type Conversion = 'remux-fragments' | 'remux-matroska' | 'reencode';

async function convert(
  inputFile: string,
  workDir: string,
  probe: VideoProbe,
  conversion: Conversion,
  options: PrepareVideoOptions,
): Promise<PreparedVideo> {
  const method = conversion === 'reencode' ? 'reencoded' : 'remuxed';
  const file = targetFor(inputFile, workDir, method);
  const step = {
    onProgress: options.onProgress,
    signal: options.signal,
    recoverTruncated: options.recoverTruncated,
  };
  if (conversion === 'reencode') await reencodeVideo(inputFile, file, probe, step);
  else if (conversion === 'remux-matroska') await remuxMatroska(inputFile, file, step);
  else await remuxFragmented(inputFile, file, step);
  const result = await admitted(inputFile, file, options.signal);
  // The output is whole; keep saying that the input was cut short.
  return { file, method, ...result, probe: { ...result.probe, truncated: probe.truncated } };
}

/** H.264 in Matroska that a syntax would admit once in MP4: copy it rather than re-encode. */
function isRemuxableMatroska(probe: VideoProbe): boolean {
  return (
    probe.container === 'matroska' &&
    probe.codec === 'h264' &&
    'uid' in chooseTransferSyntax({ ...probe, container: 'mp4' })
  );
}

/** Remux Matroska when its stream allows it (no audio, lacing or B-frames), else re-encode. */
async function convertMatroska(
  inputFile: string,
  workDir: string,
  probe: VideoProbe,
  options: PrepareVideoOptions,
): Promise<PreparedVideo> {
  try {
    return await convert(inputFile, workDir, probe, 'remux-matroska', options);
  } catch (error) {
    if (!(error instanceof VideoFormatError && error.message.startsWith('not remuxable')))
      throw error;
    return convert(inputFile, workDir, probe, 'reencode', options);
  }
}

/**
 * Makes a capture embeddable in a DICOM video instance (PS3.5 8.2.8/8.2.9): probes it; keeps an
 * admissible progressive MP4 as it is (hard link or copy); remuxes an admissible fragmented MP4
 * to progressive without re-encoding, and likewise H.264 High in Matroska (video only, no
 * B-frames); re-encodes with ffmpeg.wasm (H.264 High L4.1) only when no syntax admits the stream. The result is always a new file in workDir (temp + rename).
 * Throws VideoRefusedError naming the file and the reason (not a video, truncated, too large to
 * re-encode, …); an abort rejects with the signal's reason and leaves no partial file.
 */
export async function prepareVideo(
  inputFile: string,
  workDir: string,
  options: PrepareVideoOptions = {},
): Promise<PreparedVideo> {
  try {
    await mkdir(workDir, { recursive: true });
    const probe = await probeVideo(inputFile, {
      signal: options.signal,
      recoverTruncated: options.recoverTruncated,
    });
    const choice = chooseTransferSyntax(probe);
    let prepared: PreparedVideo;
    if ('uid' in choice && !probe.fragmented && !probe.truncated) {
      const placed = await placeUnchanged(inputFile, workDir);
      prepared = { ...placed, probe, transferSyntaxUid: choice.uid };
    } else if ('uid' in choice) {
      prepared = await convert(inputFile, workDir, probe, 'remux-fragments', options);
    } else if (isRemuxableMatroska(probe)) {
      prepared = await convertMatroska(inputFile, workDir, probe, options);
    } else {
      prepared = await convert(inputFile, workDir, probe, 'reencode', options);
    }
    options.onProgress?.(DONE);
    return prepared;
  } catch (error) {
    throw refusalFor(inputFile, error);
  }
}
