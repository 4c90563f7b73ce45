import type { ImportReportShape } from '../../../../preload/features/mediaImport';

/**
 * The problem of a file the outbox is waiting to retry (the archive refused or did not answer),
 * the one most files share: sending is stuck on it, not merely slow.
 */
export function waitingProblem(report: ImportReportShape): string | undefined {
  const counts = new Map<string, number>();
  for (const item of report.imported)
    if (item.state === 'waiting-to-retry' && item.problem)
      counts.set(item.problem, (counts.get(item.problem) ?? 0) + 1);
  let most: [string, number] | undefined;
  for (const entry of counts) if (!most || entry[1] > most[1]) most = entry;
  return most?.[0];
}
