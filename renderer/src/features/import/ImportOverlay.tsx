import { Dialog } from '../../components/Dialog';
import { useState } from 'react';
import type { StationInfo } from '../../../../preload/contract';
import type { ImportReportShape, MediaSession } from '../../../../preload/features/mediaImport';
import { station } from '../../api/station';
import { formatPersonName } from '../../components/format';
import { strings } from '../../i18n/strings';
import { assignmentsOf, type PatientChoice, type PdfChoice } from './importChoices';
import { ImportProgressView } from './ImportProgressView';
import { MediaSourcePicker } from './MediaSourcePicker';
import { MismatchDialog, type PendingMismatch } from './MismatchDialog';
import { ReconcilePanel } from './ReconcilePanel';
import { StudyBrowser } from './StudyBrowser';
import './importScreen.css';

const t = strings.mediaImport;
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The import screen (issue 8): choose a disc or folder → browse what it holds → choose the local
 * patient for each outside patient (worklist or wristband) → confirm any mismatch side by side →
 * send through the outbox with progress → closing report.
 */
export function ImportOverlay({
  scanner,
  onClose,
}: {
  scanner: StationInfo['scanner'] | undefined;
  onClose: () => void;
}) {
  const [session, setSession] = useState<MediaSession>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [choices, setChoices] = useState<Record<string, PatientChoice>>({});
  const [pdfChoices, setPdfChoices] = useState<Record<string, PdfChoice>>({});
  const [pending, setPending] = useState<PendingMismatch[]>();
  const [started, setStarted] = useState<ImportReportShape>();

  /** The session is the station's: leaving it ends it (a running import still finishes). */
  const leave = (then: () => void) => {
    if (session)
      void station()
        .closeMedia({ sessionId: session.sessionId })
        .catch(() => undefined);
    then();
  };

  const open = (root: string) => {
    setBusy(true);
    setError(undefined);
    station()
      .openMedia({ root })
      .then((opened) => {
        setChoices({});
        setPdfChoices({});
        setSession(opened);
      })
      .catch((e: unknown) => setError(message(e)))
      .finally(() => setBusy(false));
  };

  const start = (current: MediaSession, confirmed: ReadonlySet<string>) => {
    setBusy(true);
    station()
      .startImport({
        sessionId: current.sessionId,
        assignments: assignmentsOf(current, choices, confirmed),
        pdfs: Object.entries(pdfChoices)
          .filter(([, c]) => c.studyInstanceUid)
          .map(([id, c]) => ({ id, studyInstanceUid: c.studyInstanceUid })),
      })
      .then(setStarted)
      .catch((e: unknown) => setError(message(e)))
      .finally(() => setBusy(false));
  };

  /** Checks every assigned patient first; differences go to the side-by-side confirmation. */
  const send = async (current: MediaSession) => {
    setError(undefined);
    const found: PendingMismatch[] = [];
    for (const outside of current.patients) {
      const choice = choices[outside.key];
      if (!choice) continue;
      const { mismatches } = await station().checkReconciliation({
        sessionId: current.sessionId,
        outsideKey: outside.key,
        patient: choice.patient,
      });
      if (mismatches.length > 0)
        found.push({
          outsideKey: outside.key,
          outside: {
            name: formatPersonName({ alphabetic: outside.name }),
            id: outside.patientId,
            birthDate: outside.birthDate,
            sex: outside.sex,
          },
          local: {
            name: formatPersonName(choice.patient.name),
            id: choice.patient.id,
            birthDate: choice.patient.birthDate ?? '',
            sex: choice.patient.sex ?? '',
          },
          mismatches,
        });
    }
    if (found.length > 0) setPending(found);
    else start(current, new Set());
  };

  const assigned = session ? assignmentsOf(session, choices, new Set()).length : 0;
  return (
    <Dialog
      labelledBy="import-heading"
      testId="import-screen"
      className="import-screen"
      backdropClassName="import-backdrop"
    >
      <header className="import-screen__header">
        <h2 id="import-heading">{t.heading}</h2>
        {session && !started && (
          <button type="button" onClick={() => leave(() => setSession(undefined))}>
            {t.back}
          </button>
        )}
        <button type="button" onClick={() => leave(onClose)} data-testid="import-close">
          {t.close}
        </button>
      </header>
      {error && (
        <p className="state state--error" role="alert" data-testid="import-error">
          {error}
        </p>
      )}
      {!session && <MediaSourcePicker onOpen={open} busy={busy} />}
      {session && !started && (
        <div className="import-columns">
          <StudyBrowser
            session={session}
            pdfChoices={pdfChoices}
            onPdfChoice={(id, studyInstanceUid) =>
              setPdfChoices((c) => ({ ...c, [id]: { studyInstanceUid } }))
            }
          />
          <div>
            <ReconcilePanel
              session={session}
              choices={choices}
              scanner={scanner}
              onChoice={(key, choice) =>
                setChoices((c) => {
                  const next = { ...c };
                  if (choice) next[key] = choice;
                  else delete next[key];
                  return next;
                })
              }
            />
            <button
              type="button"
              className="send"
              disabled={busy || assigned === 0}
              onClick={() => void send(session).catch((e: unknown) => setError(message(e)))}
              data-testid="import-send"
            >
              {t.send}
            </button>
          </div>
        </div>
      )}
      {started && <ImportProgressView initial={started} />}
      {session && pending && (
        <MismatchDialog
          pending={pending}
          onCancel={() => setPending(undefined)}
          onConfirm={() => {
            setPending(undefined);
            start(session, new Set(pending.map((p) => p.outsideKey)));
          }}
        />
      )}
    </Dialog>
  );
}
