/**
 * Outside PDFs on a medium (discharge letters, reports burned next to the images): plain `.pdf`
 * files, found by a walk confined to the medium exactly like the DICOM scan (no folder links
 * followed, a file link only when its realpath stays on the medium). Nothing is opened here.
 */
import { readdir, stat } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { MediaRoot } from './resolveOnMedia';

export interface FoundPdf {
  /** realpath, inside the medium. */
  readonly path: string;
  /** As shown to the user: relative to the medium's root. */
  readonly shown: string;
  readonly bytes: number;
}

const MAX_DEPTH = 16;
/** Far above any letter or report; a bigger ".pdf" is something else and is not offered. */
export const MAX_PDF_BYTES = 256 * 1024 * 1024;

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
        const info = await stat(confined.path).catch(() => undefined);
        if (info?.isFile() && info.size > 0 && info.size <= MAX_PDF_BYTES)
          found.push({ path: confined.path, shown, bytes: info.size });
      }
    }
  };
  await walk(root.realRoot, 0);
  return found.sort((a, b) => a.shown.localeCompare(b.shown));
}
