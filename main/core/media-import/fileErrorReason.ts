/**
 * Why a file on a medium could not be read or imported, in words a clinician can act on, with
 * the system's code kept for IT: a disc taken out mid-import makes every file left fail with
 * ENOENT or EIO, and "ENOENT: no such file or directory, open '/media/cdrom/DICOM/…'" a thousand
 * times over says neither what happened nor what to do.
 */

const BY_CODE: Readonly<Record<string, string>> = {
  ENOENT: 'no longer on the medium: was the disc or drive removed?',
  ENXIO: 'the medium is gone: was the disc or drive removed?',
  ENODEV: 'the medium is gone: was the disc or drive removed?',
  ESTALE: 'the medium is gone: was the disc or drive removed?',
  EIO: 'read error on the medium: a scratched or dirty disc, or one taken out while being read',
  EACCES: 'permission denied: the station may not read this file (or write its copy)',
  EPERM: 'permission denied: the station may not read this file (or write its copy)',
  ENOSPC: "the station's disk is full",
  // Opened with O_NOFOLLOW (types.ts): the file became a link after the medium was read.
  ELOOP: 'replaced by a link since the medium was read: not followed, not imported',
};

/** The error's code (ENOENT…) when it is a system error, else undefined. */
export function errorCode(error: Error): string | undefined {
  const { code } = error as NodeJS.ErrnoException;
  return typeof code === 'string' ? code : undefined;
}

/** A known system error in plain words, its code in brackets; any other error's own message. */
export function fileErrorReason(error: Error): string {
  const code = errorCode(error);
  const words = code === undefined ? undefined : BY_CODE[code];
  return words === undefined ? error.message : `${words} [${code}]`;
}
