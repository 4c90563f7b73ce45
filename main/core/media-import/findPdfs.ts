/**
 * Outside PDFs on a medium (discharge letters, reports burned next to the images): plain `.pdf`
 * files, found by a walk confined to the medium exactly like the DICOM scan (no folder links
 * followed, a file link only when its realpath stays on the medium). Each is read once here, as
 * the survey, for its size and SHA-256: the import wraps a PDF only if its bytes are still these
 * (importPdf.ts), so a disc swapped at the same mount point cannot put another patient's letter
 * on the local patient (images have surveyedIdentity.ts for that).
 */
import { createHash } from 'node:crypto';
import { readdir, type FileHandle } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { MediaRoot } from './resolveOnMedia';
import { openForReading } from './types';

export interface FoundPdf {
  /** realpath, inside the medium. */
  readonly path: string;
  /** As shown to the user: relative to the medium's root. */
  readonly shown: string;
  readonly bytes: number;
  /** SHA-256 of the bytes read by the survey, hex. */
  readonly sha256: string;
}

const MAX_DEPTH = 16;
/** Far above any letter or report; a bigger ".pdf" is something else and is not offered. */
export const MAX_PDF_BYTES = 256 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;

/**
 * Opens a surveyed PDF as the medium's sources are opened (openForReading: read-only,
 * non-blocking, a regular file, no link followed — `path` is a realpath, so a link found there
 * now was put there after the survey).
 */
export const openPdf = openForReading;

/**
 * Reads `handle` from the start, at most `limit` bytes, handing each chunk to `onChunk` (in
 * order, the buffer reused afterwards); returns the byte count and the SHA-256 of what was read.
 */
export async function readHashed(
  handle: FileHandle,
  limit: number,
  onChunk?: (chunk: Buffer) => Promise<void>,
): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let bytes = 0;
  while (bytes < limit) {
    const want = Math.min(buffer.length, limit - bytes);
    const { bytesRead } = await handle.read(buffer, 0, want, bytes);
    if (bytesRead === 0) break;
    const chunk = buffer.subarray(0, bytesRead);
    hash.update(chunk);
    await onChunk?.(chunk);
    bytes += bytesRead;
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** Size and SHA-256 of a PDF on the medium, or undefined when it is not one to offer. */
async function survey(path: string): Promise<{ bytes: number; sha256: string } | undefined> {
  const handle = await openPdf(path).catch(() => undefined);
  if (!handle) return undefined;
  try {
    const { size } = await handle.stat();
    if (size === 0 || size > MAX_PDF_BYTES) return undefined;
    // One byte past the size tells a file that grew while it was read from one that did not.
    const read = await readHashed(handle, size + 1);
    return read.bytes === size ? read : undefined;
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}

/** Lists the PDFs on a medium, sorted by path. Never throws for the medium's contents. */
export async function findPdfs(rootPath: string): Promise<FoundPdf[]> {
  const root = await MediaRoot.open(rootPath);
  const found: FoundPdf[] = [];
  const walk = async (folder: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH) return;
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path, depth + 1);
      else if (extname(entry.name).toLowerCase() === '.pdf') {
        const shown = relative(root.realRoot, path);
        const confined = await root.confine(path, shown);
        if (!confined.ok) continue;
        const read = await survey(confined.path);
        if (read) found.push({ path: confined.path, shown, ...read });
      }
    }
  };
  await walk(root.realRoot, 0);
  return found.sort((a, b) => a.shown.localeCompare(b.shown));
}
