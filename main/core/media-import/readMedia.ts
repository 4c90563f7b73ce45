/**
 * Reads what a patient disc or USB drive holds, safely (IHE PDI; PS3.10 8, PS3.12):
 * - a DICOMDIR at the root, in any case, is parsed and each referenced file is resolved
 *   case-insensitively and confined to the root (resolveOnMedia.ts) before it is opened;
 * - without a (readable) DICOMDIR, the medium is walked and files with "DICM" at offset 128 are
 *   taken, skipping viewers, autorun files and other noise by name first;
 * - every instance is read header-only; a file that cannot be read is refused with its reason.
 * Contract: `openFile` and `readHeaders` are only ever given paths whose realpath lies inside the
 * root.
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { fileErrorReason } from './fileErrorReason';
import { mapBounded } from './mapBounded';
import { readDicomdir, type DirectoryRecord } from './parseDicomdir';
import { readHeaders, type HeaderOutcome } from './readInstance';
import { comparableName, MediaRoot } from './resolveOnMedia';
import { keepOneOfEach } from './sameInstance';
import { hasDicmPreamble } from './scanHeader';
import {
  MediaFileError,
  openForReading,
  type InstanceHeader,
  type OpenFile,
  type Refusal,
} from './types';

export interface MediaContents {
  readonly root: string;
  /** The DICOMDIR used, when there was a readable one. */
  readonly dicomdir: string | undefined;
  /** Why the medium was scanned although it has a DICOMDIR (unreadable, or resolving to nothing). */
  readonly scannedBecause: string | undefined;
  readonly instances: readonly InstanceHeader[];
  /** Files that look like DICOM (or were referenced) but will not be imported, with reasons. */
  readonly refused: readonly Refusal[];
  /** Files passed over as not DICOM (viewers, autorun, pictures…), with reasons. */
  readonly skipped: readonly Refusal[];
}

type ReadHeaders = (paths: readonly string[]) => Promise<HeaderOutcome[]>;

export interface ReadMediaOptions {
  readonly openFile?: OpenFile;
  /**
   * How the candidates' headers are read (the import's worker, mediaWorker.ts); default:
   * readHeaders through `openFile`. Given only paths already confined to the root.
   */
  readonly readHeaders?: ReadHeaders;
}

/** Names that are never DICOM on a patient disc: viewers, autorun, documents, pictures. */
const NOISE_EXTENSIONS = new Set(
  (
    '.exe .dll .inf .ini .bat .cmd .com .msi .cab .sys .ocx .app .dmg .sh .jar .js .css .htm .html ' +
    '.xml .txt .pdf .rtf .doc .ico .bmp .gif .jpg .jpeg .png .tif .tiff .zip .lic .chm .cfg .json'
  ).split(' '),
);
const MAX_DEPTH = 16;
/** References resolved at once (each a realpath, i.e. a readlink per path component). */
const RESOLVE_CONCURRENCY = 16;

/** Reads a medium. Never throws for the medium's contents; throws only if the root is unusable. */
export async function readMedia(
  rootPath: string,
  options: ReadMediaOptions = {},
): Promise<MediaContents> {
  const openFile = options.openFile ?? openForReading;
  const root = await MediaRoot.open(rootPath);
  const refused: Refusal[] = [];
  const skipped: Refusal[] = [];
  const read = options.readHeaders ?? ((paths) => readHeaders(paths, openFile));
  const fromDicomdir = await candidatesFromDicomdir(root, openFile, refused, read);
  const used = fromDicomdir && 'files' in fromDicomdir ? fromDicomdir : undefined;
  let candidates = used?.files;
  let outcomes = used?.headers;
  if (!candidates) {
    const found = { files: [] as string[], refused, skipped };
    await scanFolders(root, root.realRoot, 0, openFile, found);
    candidates = found.files;
    outcomes = read(candidates);
  }
  const instances = keepReadable(candidates, (await outcomes) ?? [], refused);
  return {
    root: root.realRoot,
    dicomdir: used?.path,
    scannedBecause:
      fromDicomdir && 'scannedBecause' in fromDicomdir ? fromDicomdir.scannedBecause : undefined,
    instances,
    refused,
    skipped,
  };
}

/**
 * The DICOMDIR's files with their headers (being read), or why the medium must be scanned
 * although it has one.
 */
type FromDicomdir =
  | {
      readonly path: string;
      readonly files: string[];
      /** One outcome per file, in the same order. */
      readonly headers: Promise<HeaderOutcome[]>;
    }
  | { readonly path: string; readonly scannedBecause: string };

/**
 * References resolved per round; each round's files are handed to `read` at once, so their
 * headers are read while the next round resolves (bench/import: 2,000 references took 0.15–0.2 s
 * to resolve and the headers 0.5–0.7 s after them, the machine a third idle meanwhile).
 */
const RESOLVE_ROUND = 128;
/**
 * Rounds whose headers are being read at once: reading keeps up with resolving without piling
 * reads onto a slow medium (a CD serves one at a time; each round reads a few files at once).
 */
const ROUNDS_READ_AT_ONCE = 2;

async function candidatesFromDicomdir(
  root: MediaRoot,
  openFile: OpenFile,
  refused: Refusal[],
  read: ReadHeaders,
): Promise<FromDicomdir | undefined> {
  const name = await root.match(root.realRoot, 'DICOMDIR');
  if (name === undefined) return undefined;
  const confined = await root.confine(join(root.realRoot, name), name);
  if (!confined.ok) {
    refused.push({ path: name, reason: confined.reason });
    return undefined;
  }
  let records: DirectoryRecord[];
  try {
    records = await readDicomdir(confined.path, openFile);
  } catch (error) {
    // A scratched disc (EIO), a DICOMDIR the station may not read (EACCES), a forged one: the
    // images may still be readable, so the medium is scanned rather than the run given up.
    if (!(error instanceof Error)) throw error;
    const reason =
      error instanceof MediaFileError
        ? error.message
        : `DICOMDIR cannot be read: ${fileErrorReason(error)}`;
    const scannedBecause = `${reason}; the disc is scanned instead`;
    refused.push({ path: confined.path, reason: scannedBecause });
    return { path: confined.path, scannedBecause };
  }
  const referencing = records.filter((r) => r.fileId.length > 0);
  const { files, headers } = await resolveInRounds(root, referencing, refused, read);
  if (files.size === 0) {
    // A DICOMDIR copied from another disc, or written before the files were renamed: its records
    // lead nowhere, yet the images may well be on the medium. Scan rather than import nothing.
    const scannedBecause = `DICOMDIR: none of its ${referencing.length} file references resolves to a file on the medium; the disc is scanned instead`;
    refused.push({ path: confined.path, reason: scannedBecause });
    return { path: confined.path, scannedBecause };
  }
  return { path: confined.path, files: [...files], headers };
}

/**
 * Each record's file resolved on the medium (refused with its reason if it cannot be), a file
 * referenced twice taken once, and the headers of each round's files asked of `read` as soon as
 * at most ROUNDS_READ_AT_ONCE - 1 earlier rounds are still being read.
 */
async function resolveInRounds(
  root: MediaRoot,
  referencing: readonly DirectoryRecord[],
  refused: Refusal[],
  read: ReadHeaders,
): Promise<{ files: Set<string>; headers: Promise<HeaderOutcome[]> }> {
  const files = new Set<string>();
  const reads: Promise<HeaderOutcome[]>[] = [];
  for (let at = 0; at < referencing.length; at += RESOLVE_ROUND) {
    const round = referencing.slice(at, at + RESOLVE_ROUND);
    const resolutions = await mapBounded(round, RESOLVE_CONCURRENCY, (r) => root.resolve(r.fileId));
    const fresh: string[] = [];
    round.forEach((record, i) => {
      const resolved = resolutions[i];
      if (!resolved?.ok)
        refused.push({
          path: record.fileId.join('\\'),
          reason: `${record.type} record: ${resolved?.reason ?? 'not resolved'}`,
        });
      else if (!files.has(resolved.path)) {
        files.add(resolved.path);
        fresh.push(resolved.path);
      }
    });
    if (fresh.length > 0) reads.push(readSoon(read, fresh, reads.at(-ROUNDS_READ_AT_ONCE)));
  }
  return { files, headers: Promise.all(reads).then((rounds) => rounds.flat()) };
}

/**
 * `read(paths)`, started once `after` (an earlier round's read) has settled, and awaited later:
 * until then a rejection (the worker's, not a file's: those are outcomes) must not count as
 * unhandled.
 */
function readSoon(
  read: ReadHeaders,
  paths: readonly string[],
  after: Promise<unknown> | undefined,
): Promise<HeaderOutcome[]> {
  const start = () => read(paths);
  const reading = after ? after.then(start, start) : start();
  reading.catch(() => undefined);
  return reading;
}

/**
 * Depth-first walk of the medium. Symbolic links to folders are not followed (no loops); a link
 * to a file is followed only when its realpath stays on the medium. Nothing is left out unsaid:
 * a folder that cannot be listed, or lies deeper than MAX_DEPTH, is refused once with its reason
 * (images may be in it), as is a file that cannot be opened or read.
 */
async function scanFolders(
  root: MediaRoot,
  folder: string,
  depth: number,
  openFile: OpenFile,
  found: { files: string[]; refused: Refusal[]; skipped: Refusal[] },
): Promise<void> {
  const shownFolder = `${relative(root.realRoot, folder) || '.'}${sep}`;
  if (depth > MAX_DEPTH) {
    found.refused.push({ path: shownFolder, reason: `deeper than ${MAX_DEPTH} levels: not read` });
    return;
  }
  let entries: Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    found.refused.push({ path: shownFolder, reason: refusalReason(error) });
    return;
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(folder, entry.name);
    const shown = relative(root.realRoot, path);
    if (entry.isDirectory()) {
      await scanFolders(root, path, depth + 1, openFile, found);
      continue;
    }
    if (isNoise(entry.name)) {
      found.skipped.push({ path: shown, reason: 'viewer, autorun or other non-DICOM file' });
      continue;
    }
    const confined = await root.confine(path, shown);
    if (!confined.ok) found.refused.push({ path: shown, reason: confined.reason });
    // The listing's type is the lstat's: only a link needs a stat of its target.
    else if (!(entry.isFile() || (entry.isSymbolicLink() && (await isFile(confined.path)))))
      found.skipped.push({ path: shown, reason: 'not a regular file (link to a folder?)' });
    else {
      const part10 = await looksLikePart10(confined.path, openFile);
      if (part10 === true) found.files.push(confined.path);
      else if (part10 === false)
        found.skipped.push({
          path: shown,
          reason: 'not a DICOM Part-10 file (no "DICM" at byte 128)',
        });
      else found.refused.push({ path: shown, reason: refusalReason(part10) });
    }
  }
}

/** By the name as a disc shows it, ISO 9660's ";1" or empty extension aside (comparableName()). */
function isNoise(name: string): boolean {
  const shown = comparableName(name);
  return (
    NOISE_EXTENSIONS.has(extname(shown)) || shown.startsWith('autorun') || shown === 'dicomdir'
  );
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

/** Whether "DICM" is at byte 128, or the error that kept the file from being opened or read. */
async function looksLikePart10(path: string, openFile: OpenFile): Promise<boolean | Error> {
  try {
    const handle = await openFile(path);
    try {
      return await hasDicmPreamble(handle);
    } finally {
      await handle.close();
    }
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** A file's or folder's refusal: our own reason as it is, a system error in plain words. */
function refusalReason(error: unknown): string {
  if (error instanceof MediaFileError) return error.message;
  const cause = error instanceof Error ? error : new Error(String(error));
  return `cannot be read: ${fileErrorReason(cause)}`;
}

/** The instances read; the rest refused with their reasons, as are copies of one instance. */
function keepReadable(
  paths: readonly string[],
  outcomes: readonly HeaderOutcome[],
  refused: Refusal[],
): InstanceHeader[] {
  const read: InstanceHeader[] = [];
  outcomes.forEach((instance, i) => {
    if (!(instance instanceof Error)) read.push(instance);
    else refused.push({ path: paths[i] ?? '', reason: refusalReason(instance) });
  });
  return keepOneOfEach(read, refused);
}
