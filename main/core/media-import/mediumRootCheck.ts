/**
 * Whether a folder may be read as a medium to import from, for every way in (the app's import
 * screen, `capture-station import`): an existing folder, not a whole file system or the kernel's
 * pseudo-files, and not the station's own data folder, inside or above it — its spool and work
 * folders hold other local patients' images, already coerced: "importing" them again would be the
 * wrong-patient outcome itself, and a folder above it would be scanned into it.
 */
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, parse, relative, resolve } from 'node:path';
import { isSystemFolder } from './listFolders';

/** `path` is `folder` or inside it. */
export function within(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Why `root` cannot be imported from, naming it; undefined when it can. */
export async function whyNotAMedium(
  root: string,
  dataFolder: string | undefined,
): Promise<string | undefined> {
  if (!isAbsolute(root)) return `${root}: not an absolute folder path`;
  const info = await stat(root).catch(() => undefined);
  if (!info) return `${root}: no such folder on the station computer`;
  if (!info.isDirectory())
    return `${root} is not a folder: choose the disc's folder (its mount point)`;
  const real = await realpath(root);
  if (real === parse(real).root || isSystemFolder(real))
    return `${root}: not a disc or a folder of images; choose the disc's folder`;
  if (dataFolder === undefined) return undefined;
  const data = await realpath(dataFolder).catch(() => resolve(dataFolder));
  const why = "it holds other patients' images waiting to be sent; choose the disc's folder";
  if (within(data, real)) return `${root}: this is the station's own data folder (${data}): ${why}`;
  if (within(real, data)) return `${root}: holds the station's own data folder (${data}): ${why}`;
  return undefined;
}
