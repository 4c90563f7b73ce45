/**
 * The bench's stand-in for importMedia with `workers` instances in flight, through the station's
 * import pipeline (main/core/media-import/importPipeline.ts): the same steps — read the medium,
 * coerce each instance into the work folder, deliver it to the outbox — with coercion of several
 * instances overlapping and their enqueues grouped by the outbox (one group commit per group).
 * Each instance still counts as imported only once its own enqueue resolved (durable). The
 * patient checks of importMedia are left out: the bench disc holds one patient, mismatch accepted.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { coerceInstance } from '../../main/core/media-import/coerceInstance';
import type { ImportOptions } from '../../main/core/media-import/importMedia';
import { runImportPipeline } from '../../main/core/media-import/importPipeline';
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
  await runImportPipeline(
    media.instances,
    {
      target: (_, i) => join(options.workFolder, `${String(i).padStart(6, '0')}.dcm`),
      prepare: (instance, target) => coerceInstance(instance.path, target, options),
      deliver: options.deliver,
      settle: (instance, outcome) => {
        if (outcome.ok) imported++;
        else skipped.push(`${instance.path}: ${outcome.error.message}`);
      },
    },
    { inFlight: workers },
  );
  return { imported, skipped };
}
