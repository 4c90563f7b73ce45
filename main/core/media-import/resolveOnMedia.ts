/**
 * Resolves DICOMDIR Referenced File IDs (0004,1500) on a medium (PS3.10 8.5, PS3.12: components
 * are upper-case on ISO 9660, but discs burned elsewhere arrive lower-case, or with ISO 9660
 * version numbers) without ever leaving the media root: a component that is empty, '.', '..' or
 * holds a separator is refused outright, each component is matched case-insensitively against the
 * real directory listing, and the result's realpath must still lie under the root's realpath (a
 * symlink escaping the disc is refused).
 * Only directory listings, realpath and (for a link) lstat are used here; no file is opened, and
 * a reference to anything but a regular file is refused before anyone opens it.
 */
import type { Dirent } from 'node:fs';
import { lstat, readdir, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';

export type Resolution =
  { readonly ok: true; readonly path: string } | { readonly ok: false; readonly reason: string };

/**
 * A directory's names, and each name's first spelling in listing order by its comparable form:
 * lower-cased, and without what ISO 9660 adds to a file identifier (ECMA-119 7.5.1): a version
 * number (";1") and the separator of an empty extension ("IM000001."). Linux, macOS and Windows
 * hide both when they mount a disc, but a disc mounted with `-o map=off` or unpacked by some ISO
 * tools keeps them, while the DICOMDIR names the file "IM000001" (PS3.10 8.5).
 */
interface Listing {
  readonly names: ReadonlySet<string>;
  readonly byComparable: ReadonlyMap<string, string>;
  /** Each name's entry: its type is the lstat's, from the listing (no call per file). */
  readonly entries: ReadonlyMap<string, Dirent>;
}

const notAFile = (written: string): Resolution => ({
  ok: false,
  reason: `${written} is not a regular file (a folder, device, pipe or socket); not opened`,
});

/** The form names are compared in: lower case, without ";version" and a trailing ".". */
export function comparableName(name: string): string {
  return name.toLowerCase().replace(/;\d+$/, '').replace(/\.$/, '');
}

function listingOf(dirents: readonly Dirent[]): Listing {
  const byComparable = new Map<string, string>();
  const entries = new Map<string, Dirent>();
  for (const dirent of dirents) {
    entries.set(dirent.name, dirent);
    const key = comparableName(dirent.name);
    if (!byComparable.has(key)) byComparable.set(key, dirent.name);
  }
  return { names: new Set(entries.keys()), byComparable, entries };
}

/**
 * Caches directory listings for one medium (a DICOMDIR names the same folders again and again;
 * a 2,000-image disc has 600 names in a folder, which a search per reference would go through).
 */
export class MediaRoot {
  private readonly listings = new Map<string, Promise<Listing>>();

  private constructor(
    /** The root as given. */
    readonly path: string,
    /** realpath of the root; every resolved path must start with it. */
    readonly realRoot: string,
  ) {}

  static async open(path: string): Promise<MediaRoot> {
    return new MediaRoot(path, await realpath(path));
  }

  /** True when `candidate` (a realpath) is the root or lies under it. */
  contains(candidate: string): boolean {
    const root = this.realRoot.endsWith(sep) ? this.realRoot : this.realRoot + sep;
    return candidate === this.realRoot || candidate.startsWith(root);
  }

  /** A directory's listing (empty when it cannot be listed). */
  private list(directory: string): Promise<Listing> {
    let listing = this.listings.get(directory);
    if (!listing) {
      // withFileTypes: the kernel's d_type, or Node's lstat where the file system gives none
      // (ISO 9660 on Linux), which is read from the directory record just listed.
      listing = readdir(directory, { withFileTypes: true }).then(listingOf, () => listingOf([]));
      this.listings.set(directory, listing);
    }
    return listing;
  }

  /**
   * Finds a name in a directory: exact match first, else the first whose comparable form (case,
   * ISO 9660 version and empty extension aside) is the same.
   */
  async match(directory: string, name: string): Promise<string | undefined> {
    const listing = await this.list(directory);
    if (listing.names.has(name)) return name;
    return listing.byComparable.get(comparableName(name));
  }

  /** Resolves a Referenced File ID's components; never throws. */
  async resolve(components: readonly string[]): Promise<Resolution> {
    const written = components.join('\\');
    if (components.length === 0) return { ok: false, reason: 'empty Referenced File ID' };
    const bad = components.find(
      (c) => c === '' || c === '.' || c === '..' || /[/\\:\0]/.test(c) || c.startsWith('~'),
    );
    if (bad !== undefined)
      return { ok: false, reason: `Referenced File ID ${written} leaves the medium ("${bad}")` };
    let current = this.realRoot;
    let entry: Dirent | undefined;
    for (const component of components) {
      const found = await this.match(current, component.trim());
      if (found === undefined)
        return { ok: false, reason: `${written}: no such file on the medium` };
      entry = (await this.list(current)).entries.get(found);
      current = join(current, found);
    }
    // Refused before anything opens it: opening a device can act on it (rewind a tape, spin
    // up a drive), and a FIFO's open waits for a writer.
    if (!entry?.isFile() && !entry?.isSymbolicLink()) return notAFile(written);
    const confined = await this.confine(current, written);
    if (!confined.ok || entry.isFile()) return confined;
    // A link: the file it leads to (its realpath, so lstat is stat) must be a regular one.
    const target = await lstat(confined.path).catch(() => undefined);
    return target?.isFile() ? confined : notAFile(written);
  }

  /** realpath check: the file must still be inside the root once symlinks are followed. */
  async confine(path: string, written: string): Promise<Resolution> {
    let real: string;
    try {
      real = await realpath(path);
    } catch {
      return { ok: false, reason: `${written}: cannot be resolved (dangling link?)` };
    }
    if (!this.contains(real))
      return { ok: false, reason: `${written} resolves outside the medium (${real}); not opened` };
    return { ok: true, path: real };
  }
}
