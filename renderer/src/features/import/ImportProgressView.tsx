import { useEffect, useState } from 'react';
import type { ImportProgress, ImportReportShape } from '../../../../preload/features/mediaImport';
import { station } from '../../api/station';
import { strings } from '../../i18n/strings';
import { FileList } from './StudyBrowser';

const t = strings.mediaImport;

/**
 * Progress of one import (events from the station), then the closing report: imported, skipped
 * with the reason per file, sent and committed as the outbox has them.
 */
export function ImportProgressView({ initial }: { initial: ImportReportShape }) {
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
