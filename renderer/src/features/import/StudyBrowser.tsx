import { useEffect, useState } from 'react';
import type { MediaSession, OutsideStudy } from '../../../../preload/features/mediaImport';
import { station } from '../../api/station';
import { formatDicomDate } from '../../components/format';
import { strings } from '../../i18n/strings';
import type { PdfChoice } from './importChoices';
import { alsoSeen } from './alsoSeen';
import { formatPn } from './formatPn';
import { reasonTally } from './reasonTally';

const t = strings.mediaImport;

/** The preview of a study's representative image, or why there is none. */
function StudyThumbnail({ sessionId, study }: { sessionId: string; study: OutsideStudy }) {
  const [thumb, setThumb] = useState<{ src?: string; reason?: string }>();
  useEffect(() => {
    let current = true;
    station()
      .getStudyThumbnail({ sessionId, studyInstanceUid: study.studyInstanceUid })
      .then((answer) => {
        if (!current) return;
        setThumb(
          answer.jpegBase64
            ? { src: `data:image/jpeg;base64,${answer.jpegBase64}` }
            : { reason: answer.reason ?? t.noPreview },
        );
      })
      .catch(
        (e: unknown) => current && setThumb({ reason: e instanceof Error ? e.message : String(e) }),
      );
    return () => {
      current = false;
    };
  }, [sessionId, study.studyInstanceUid]);
  if (!thumb) return <span className="hint">…</span>;
  if (thumb.src)
    return (
      <img
        className="import-thumb"
        src={thumb.src}
        alt={study.description}
        data-testid="import-thumbnail"
      />
    );
  return (
    <span className="hint" title={thumb.reason} data-testid="import-no-preview">
      {t.noPreview}
    </span>
  );
}

/** Patients → studies on the medium, the PDFs found, and every file refused with its reason. */
export function StudyBrowser({
  session,
  pdfChoices,
  onPdfChoice,
  disabled,
}: {
  session: MediaSession;
  pdfChoices: Readonly<Record<string, PdfChoice>>;
  onPdfChoice: (id: string, studyInstanceUid: string) => void;
  /** While the choices are checked or confirmed: the PDFs' studies cannot change either. */
  disabled: boolean;
}) {
  const studies = session.patients.flatMap((p) => p.studies.map((s) => ({ patient: p, study: s })));
  return (
    <div className="import-browser" data-testid="import-browser">
      {session.scannedBecause && (
        <p className="state state--warning" data-testid="import-scanned-because">
          {t.scannedBecause} {session.scannedBecause}
        </p>
      )}
      {session.patients.map((patient) => (
        <section key={patient.key} className="import-patient" data-testid="import-outside-patient">
          <h4 data-testid="import-outside-name">{formatPn(patient.name) || '—'}</h4>
          <p className="hint">
            {t.outsideId} {patient.patientId || '—'}
            {patient.issuerOfPatientId ? ` (${patient.issuerOfPatientId})` : ''} · {t.born}{' '}
            {formatDicomDate(patient.birthDate)} · {t.sex} {patient.sex || '—'}
          </p>
          {alsoSeen(patient).length > 0 && (
            <p className="state state--warning" data-testid="import-outside-also">
              {t.alsoOnDisc} {alsoSeen(patient).join('; ')}
            </p>
          )}
          <table className="import-studies">
            <thead>
              <tr>
                <th>{t.preview}</th>
                <th>{t.date}</th>
                <th>{t.description}</th>
                <th>{t.modalities}</th>
                <th>{t.series}</th>
                <th>{t.instances}</th>
              </tr>
            </thead>
            <tbody>
              {patient.studies.map((study) => (
                <tr key={study.studyInstanceUid} data-testid="import-study">
                  <td>
                    <StudyThumbnail sessionId={session.sessionId} study={study} />
                  </td>
                  <td>{formatDicomDate(study.date)}</td>
                  <td data-testid="import-study-description">{study.description || '—'}</td>
                  <td>{study.modalities.join(', ') || '—'}</td>
                  <td>{study.seriesCount}</td>
                  <td data-testid="import-study-count">{study.instanceCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
      {session.pdfs.length > 0 && (
        <section>
          <h4>{t.pdfs}</h4>
          <ul className="import-pdfs">
            {session.pdfs.map((pdf) => (
              <li key={pdf.id} data-testid="import-pdf">
                <span data-testid="import-pdf-path">{pdf.path}</span>{' '}
                <span className="hint">({Math.ceil(pdf.bytes / 1024)} KiB)</span>{' '}
                <label>
                  {t.importPdf}{' '}
                  <select
                    value={pdfChoices[pdf.id]?.studyInstanceUid ?? ''}
                    disabled={disabled}
                    onChange={(e) => onPdfChoice(pdf.id, e.target.value)}
                    data-testid="import-pdf-study"
                  >
                    <option value="">{t.notImported}</option>
                    {studies.map(({ patient, study }) => (
                      <option key={study.studyInstanceUid} value={study.studyInstanceUid}>
                        {formatPn(patient.name)} · {formatDicomDate(study.date)} ·{' '}
                        {study.description}
                      </option>
                    ))}
                  </select>
                </label>
              </li>
            ))}
          </ul>
        </section>
      )}
      <FileList title={t.refused} files={session.refused} testId="import-refused" open />
      <FileList title={t.skipped} files={session.skipped} testId="import-skipped" />
    </div>
  );
}

export function FileList({
  title,
  files,
  testId,
  open = false,
}: {
  title: string;
  files: readonly { path: string; reason: string }[];
  testId: string;
  open?: boolean;
}) {
  if (files.length === 0) return null;
  const tally = reasonTally(files);
  return (
    <details className="import-files" open={open} data-testid={testId}>
      <summary>
        {title} ({files.length})
      </summary>
      {tally.length > 0 && (
        <ul className="import-reasons" data-testid={`${testId}-reasons`}>
          {tally.map(({ reason, files: count }) => (
            <li key={reason}>
              {count} × {reason}
            </li>
          ))}
        </ul>
      )}
      <table>
        <thead>
          <tr>
            <th>{t.file}</th>
            <th>{t.reason}</th>
          </tr>
        </thead>
        <tbody>
          {files.map((file, index) => (
            <tr key={`${file.path}-${index}`}>
              <td>{file.path}</td>
              <td>{file.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
