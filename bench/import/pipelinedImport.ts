/**
 * A prototype, for the bench only, of the change proposed for importMedia.ts (owned elsewhere):
 * the same steps — read the medium, coerce each instance into the work folder, deliver it to the
 * outbox — with `workers` instances in flight instead of one. Each instance still waits for its
 * own durable enqueue before it counts as imported; what changes is that the fsyncs of several
 * instances overlap and share journal commits (4 datasyncs at once cost ~1.4 ms each here,
 * one at a time ~5 ms). The patient checks of importMedia are left out: the bench disc holds one
 * patient and the mismatch is accepted.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { coerceInstance } from '../../main/core/media-import/coerceInstance';
import type { ImportOptions } from '../../main/core/media-import/importMedia';
import { readMedia } from '../../main/core/media-import/readMedia';

export async function importWithWorkers(
  root: string,
  options: ImportOptions,
  workers: number,
): Promise<{ imported: number; skipped: string[] }> {
  const media = await readMedia(root);
  await mkdir(options.workFolder, { recursive: true, mode: 0o700 });
  const skipped = [...media.refused, ...media.skipped].map((r) => `${r.path}: ${r.reason}`);
  let imported = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < media.instances.length; i = next++) {
      const instance = media.instances[i];
      if (!instance) continue;
      const target = join(options.workFolder, `${String(i).padStart(6, '0')}.dcm`);
      try {
        await coerceInstance(instance.path, target, options);
        await options.deliver(target);
        imported++;
      } catch (error) {
        await rm(target, { force: true });
        skipped.push(`${instance.path}: ${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return { imported, skipped };
}
