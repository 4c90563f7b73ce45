import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, parse } from 'node:path';

/** One folder as "Import folder…" shows it: where it is, its parent, and its subfolders. */
export interface FolderListing {
  readonly path: string;
  /** Absent at the file system's root. */
  readonly parent?: string;
  /** Names of the visible subfolders, sorted as a person reads them. */
  readonly folders: readonly string[];
  /** True when there were more than `MAX_FOLDERS` and the list was cut. */
  readonly truncated: boolean;
}

/** A folder with more subfolders than this is not a patient disc's parent; the list is cut. */
export const MAX_FOLDERS = 1000;

/** The kernel's pseudo-file systems: never a disc, never walked. */
export function isSystemFolder(real: string): boolean {
  return /^\/(proc|sys|dev|run\/user)(\/|$)/.test(real);
}

export class FolderListingError extends Error {
  override readonly name = 'FolderListingError';
}

/**
 * Lists the subfolders of `path` (default: the user's home folder) for the import screen's folder
 * browser, so nobody has to type a path. Only names of folders are returned — no files, nothing
 * read inside them; hidden folders (".…") are left out. Throws FolderListingError naming the path
 * and the reason (missing, not a folder, not allowed, a system folder).
 */
export async function listFolders(path: string | undefined): Promise<FolderListing> {
  const asked = path ?? homedir();
  const real = await realpath(asked).catch((error: NodeJS.ErrnoException) => {
    throw new FolderListingError(`${asked}: ${reasonOf(error)}`);
  });
  if (isSystemFolder(real)) throw new FolderListingError(`${asked}: a system folder, not a disc`);
  if (!(await stat(real)).isDirectory()) throw new FolderListingError(`${asked}: not a folder`);
  let entries: Dirent[];
  try {
    entries = await readdir(real, { withFileTypes: true });
  } catch (error) {
    throw new FolderListingError(`${asked}: ${reasonOf(error as NodeJS.ErrnoException)}`);
  }
  const names = (
    await Promise.all(
      entries
        .filter((entry) => !entry.name.startsWith('.'))
        .map(async (entry) => ((await isFolder(real, entry)) ? entry.name : undefined)),
    )
  )
    .filter((name): name is string => name !== undefined)
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' }));
  const isRoot = real === parse(real).root;
  return {
    path: real,
    ...(isRoot ? {} : { parent: dirname(real) }),
    folders: names.slice(0, MAX_FOLDERS),
    truncated: names.length > MAX_FOLDERS,
  };
}

/** A folder, or a link to one (a mounted disc may be reached through a link). */
async function isFolder(parent: string, entry: Dirent): Promise<boolean> {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  return stat(join(parent, entry.name)).then(
    (target) => target.isDirectory(),
    () => false,
  );
}

function reasonOf(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'no such folder';
    case 'EACCES':
    case 'EPERM':
      return 'this station may not read it';
    case 'ENOTDIR':
      return 'not a folder';
    default:
      return error.message;
  }
}
