/**
 * Resolves DICOMDIR Referenced File IDs (0004,1500) on a medium (PS3.10 8.5, PS3.12: components
 * are upper-case on ISO 9660, but discs burned elsewhere arrive lower-case) without ever leaving the
 * media root: a component that is empty, '.', '..' or holds a separator is refused outright, each
 * component is matched case-insensitively against the real directory listing, and the result's
 * realpath must still lie under the root's realpath (a symlink escaping the disc is refused).
 * Only directory listings and realpath are used here; no file is opened.
 */
import { readdir, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';

export type Resolution =
  { readonly ok: true; readonly path: string } | { readonly ok: false; readonly reason: string };

/** A directory's names, and each lower-cased name's first spelling in listing order. */
interface Listing {
  readonly names: ReadonlySet<string>;
  readonly byLowerCase: ReadonlyMap<string, string>;
}

function listingOf(names: readonly string[]): Listing {
  const byLowerCase = new Map<string, string>();
  for (const name of names) {
    const lower = name.toLowerCase();
    if (!byLowerCase.has(lower)) byLowerCase.set(lower, name);
  }
  return { names: new Set(names), byLowerCase };
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
      listing = readdir(directory).then(listingOf, () => listingOf([]));
      this.listings.set(directory, listing);
    }
    return listing;
  }

  /** Finds a name in a directory: exact match first, else the first case-insensitive match. */
  async match(directory: string, name: string): Promise<string | undefined> {
    const listing = await this.list(directory);
    if (listing.names.has(name)) return name;
    return listing.byLowerCase.get(name.toLowerCase());
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
    for (const component of components) {
      const found = await this.match(current, component.trim());
      if (found === undefined)
        return { ok: false, reason: `${written}: no such file on the medium` };
      current = join(current, found);
    }
    return this.confine(current, written);
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
