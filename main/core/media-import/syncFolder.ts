import { open } from 'node:fs/promises';

/**
 * fsyncs a folder so a rename into it survives a power cut (POSIX). Windows cannot open a folder
 * for fsync and NTFS journals the rename, so failure to open it is ignored there.
 */
export async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
