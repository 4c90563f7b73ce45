import { useEffect, useState } from 'react';
import type { ImportProgress, ImportReportShape } from '../../../../preload/features/mediaImport';
import { station } from '../../api/station';
import { strings } from '../../i18n/strings';
import { FileList } from './StudyBrowser';
import { waitingProblem } from './waitingProblem';

const t = strings.mediaImport;

/**
 * Progress of one import (events from the station), then the closing report: imported, skipped
 * with the reason per file, sent and committed as the outbox has them. What went wrong is shown
 * as it happens (skipped files, per-file problems, an archive the outbox keeps retrying), not only
 * once everything is finished. `onRunning` says whether the import is still preparing or sending.
 */
export function ImportProgressView({
  initial,
  onRunning,
}: {
  initial: ImportReportShape;
  onRunning?: (running: boolean) => void;
}) {
  const { sessionId } = initial;
  const [progress, setProgress] = useState<ImportProgress>();
  const [report, setReport] = useState<ImportReportShape>(initial);

  useEffect(() => {
    let current = true;
    const offProgress = station().on(
      'mediaImportProgress',
      (next) => current && next.sessionId === sessionId && setProgress(next),
    );
    const offReport = station().on(
      'mediaImportReport',
      (next) => current && next.sessionId === sessionId && setReport(next),
    );
    // Events may have gone by before this view subscribed: ask once for the report as it is now.
    station()
      .getImportReport({ sessionId })
      .then((now) => current && setReport((seen) => (seen.phase === 'done' ? seen : now)))
      .catch(() => undefined);
    return () => {
      current = false;
      offProgress();
      offReport();
    };
  }, [sessionId]);

  const phase = report.finished ? 'done' : (progress?.phase ?? report.phase);
  const total = progress?.total ?? report.counts.imported;
  const done = phase === 'done' ? total : (progress?.done ?? 0);
  const label =
    phase === 'done'
      ? t.progressDone
      : phase === 'sending'
        ? t.progressSending
        : t.progressImporting;
  const { counts } = report;
  const running = phase !== 'done';
  useEffect(() => onRunning?.(running), [onRunning, running]);
  const problems = report.imported.filter((i) => i.problem);
  const waiting = running ? waitingProblem(report) : undefined;
  return (
    <div className="import-progress" data-testid="import-progress">
      <p>
        {label} — {done} / {total}
      </p>
      <progress
        max={Math.max(total, 1)}
        value={done}
        data-testid="import-progress-bar"
        data-phase={phase}
      />
      {waiting && (
        <p className="state state--warning" role="status" data-testid="import-waiting">
          {t.waitingForArchive(waiting)}
        </p>
      )}
      {running && (
        <>
          <FileList
            title={t.problems}
            files={problems.map((i) => ({ path: i.source, reason: `${i.state}: ${i.problem}` }))}
            testId="import-progress-problems"
            open
          />
          <FileList
            title={t.skippedCount}
            files={report.skipped}
            testId="import-progress-skipped"
            open
          />
        </>
      )}
      {report.finished && (
        <section data-testid="import-report">
          <h3>{t.report}</h3>
          <ul className="import-counts">
            <li data-testid="import-count-imported">
              {counts.imported} {t.imported}
            </li>
            <li data-testid="import-count-skipped">
              {counts.skipped} {t.skippedCount}
            </li>
            {report.passedOver > 0 && (
              <li data-testid="import-count-passed-over">
                {report.passedOver} {t.passedOver}
              </li>
            )}
            <li data-testid="import-count-sent">
              {counts.sent} {t.sent}
            </li>
            {report.commitExpected && (
              <li data-testid="import-count-committed">
                {counts.committed} {t.committed}
              </li>
            )}
            {counts.failed > 0 && (
              <li className="state--error" data-testid="import-count-failed">
                {counts.failed} {t.failed}
              </li>
            )}
            {counts.cancelled > 0 && (
              <li data-testid="import-count-cancelled">
                {counts.cancelled} {t.cancelled}
              </li>
            )}
          </ul>
          {report.scannedBecause && (
            <p className="state state--warning">
              {t.scannedBecause} {report.scannedBecause}
            </p>
          )}
          <FileList
            title={`${t.imported} (${t.state})`}
            files={report.imported.map((i) => ({
              path: i.source,
              reason: i.problem ? `${i.state}: ${i.problem}` : i.state,
            }))}
            testId="import-report-imported"
          />
          <FileList
            title={t.skippedCount}
            files={report.skipped}
            testId="import-report-skipped"
            open
          />
        </section>
      )}
    </div>
  );
}
