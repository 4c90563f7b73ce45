import { mkdtemp, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { buildPdfPlan } from './builders/buildPdfPlan';
import { buildStillPlan } from './builders/buildStillPlan';
import { buildVideoPlan } from './builders/buildVideoPlan';
import type { CaptureContext } from './context';
import { InputRejectedError } from './errors';
import { checkPdf } from './inputs/pdfCheck';
import { prepareStill } from './inputs/prepareStill';
import { sniffFormat } from './inputs/sniff';
import { writePart10, type InstancePlan, type WriteOptions } from './part10/writePart10';
import { sopClassForKind, type CaptureKind, type SopClassChoice } from './sopClass';
import type { VideoPreparer } from './videoTypes';

export interface WrapRequest {
  readonly input: string;
  readonly kind: CaptureKind;
  readonly context: CaptureContext;
  /** Where the instance goes; written to a temp file beside it and renamed. */
  readonly output: string;
  /**
   * Parent of the private scratch folder for converted images / prepared video; defaults to the
   * output's folder (same file system, so a prepared MP4 can be a hard link). Removed afterwards.
   */
  readonly workDir?: string;
  /** Video kinds only: main/core/video's prepareVideo (injected so stills never load it). */
  readonly prepareVideo?: VideoPreparer;
  readonly signal?: AbortSignal;
  readonly onProgress?: (fraction: number) => void;
  /** writePart10's `sync`: fsync before resolving (default), or atomic only, as `cp` writes. */
  readonly sync?: boolean;
}

export interface WrapResult {
  readonly path: string;
  readonly bytes: number;
  readonly kind: CaptureKind;
  readonly iodName: string;
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly transferSyntaxUid: string;
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  /** Set when pixels were re-encoded rather than embedded as captured. */
  readonly reencodedBecause?: string;
}

interface Prepared {
  readonly plan: InstancePlan;
  readonly reencodedBecause?: string;
  readonly cleanup: () => Promise<void>;
}

async function prepareVideoPlan(request: WrapRequest, sop: SopClassChoice, workDir: string) {
  if (!request.prepareVideo) throw new Error('video capture needs the video module (prepareVideo)');
  const format = await sniffFormat(request.input);
  if (format !== 'mp4' && format !== 'webm') {
    throw new InputRejectedError(request.input, `not a video: ${format.toUpperCase()} content`);
  }
  const video = await request.prepareVideo(request.input, workDir, {
    ...(request.signal ? { signal: request.signal } : {}),
  });
  // Trust the bytes on disk, not the probe, for the fragment lengths.
  const { size } = await stat(video.file);
  const measured = { ...video, probe: { ...video.probe, byteLength: size } };
  return { plan: buildVideoPlan(request.context, sop, measured), video };
}

async function prepare(
  request: WrapRequest,
  sop: SopClassChoice,
  workDir: string,
): Promise<Prepared> {
  const none = () => Promise.resolve();
  if (sop.medium === 'document') {
    const pdf = await checkPdf(request.input);
    return { plan: buildPdfPlan(request.context, sop, pdf), cleanup: none };
  }
  if (sop.medium === 'video') {
    const { plan, video } = await prepareVideoPlan(request, sop, workDir);
    // The prepared MP4 is the input itself when no remux was needed: never delete that.
    const cleanup = video.file === request.input ? none : () => removeQuietly(video.file);
    return { plan, cleanup };
  }
  const still = await prepareStill(request.input, workDir);
  try {
    const plan = buildStillPlan(request.context, sop, still);
    return {
      plan,
      cleanup: () => still.cleanup(),
      ...(still.reencodedBecause ? { reencodedBecause: still.reencodedBecause } : {}),
    };
  } catch (error) {
    await still.cleanup();
    throw error;
  }
}

async function removeQuietly(file: string): Promise<void> {
  await unlink(file).catch(() => undefined);
}

/**
 * Wraps one captured file as a DICOM instance of the SOP class `kind` names, bound to `context`:
 * checks what the file really is, converts stills to JPEG Baseline when they are not, prepares
 * video with the injected video module, and streams the result to `output` (temp file + rename).
 * Throws InputRejectedError (file + reason) for bad input, ContextError for an incomplete context,
 * VideoRefusedError from the video module; in every failure case nothing is left at `output`.
 */
export async function wrapCapture(request: WrapRequest): Promise<WrapResult> {
  const sop = sopClassForKind(request.kind);
  const parent = request.workDir ?? dirname(request.output);
  const workDir = await mkdtemp(join(parent, '.wrap-')).catch((error: NodeJS.ErrnoException) => {
    const reason = error.code === 'ENOENT' ? 'does not exist' : `cannot be written (${error.code})`;
    throw new Error(`${parent}: the output folder ${reason}`, { cause: error });
  });
  try {
    return await prepareAndWrite(request, sop, workDir);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function prepareAndWrite(
  request: WrapRequest,
  sop: SopClassChoice,
  workDir: string,
): Promise<WrapResult> {
  const prepared = await prepare(request, sop, workDir);
  try {
    const options: WriteOptions = {
      ...(request.signal ? { signal: request.signal } : {}),
      ...(request.onProgress ? { onProgress: request.onProgress } : {}),
      ...(request.sync !== undefined ? { sync: request.sync } : {}),
    };
    const written = await writePart10(request.output, prepared.plan, options);
    return {
      path: written.path,
      bytes: written.bytes,
      kind: sop.kind,
      iodName: sop.iodName,
      sopClassUid: prepared.plan.sopClassUid,
      sopInstanceUid: prepared.plan.sopInstanceUid,
      transferSyntaxUid: prepared.plan.transferSyntaxUid,
      studyInstanceUid: request.context.study.studyInstanceUid,
      seriesInstanceUid: request.context.series.seriesInstanceUid,
      ...(prepared.reencodedBecause ? { reencodedBecause: prepared.reencodedBecause } : {}),
    };
  } finally {
    await prepared.cleanup();
  }
}
