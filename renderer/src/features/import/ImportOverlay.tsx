import { Dialog } from '../../components/Dialog';
import { useRef, useState } from 'react';
import type { StationInfo } from '../../../../preload/contract';
import type { ImportReportShape, MediaSession } from '../../../../preload/features/mediaImport';
import { station } from '../../api/station';
import { strings } from '../../i18n/strings';
import {
  assignmentsOf,
  coveredBy,
  NO_PICKS,
  unassignedCount,
  withChoice,
  type PdfChoice,
  type Picks,
} from './importChoices';
import { ImportProgressView } from './ImportProgressView';
import { MediaSourcePicker } from './MediaSourcePicker';
import { CloseWhileRunningDialog } from './CloseWhileRunningDialog';
import { MismatchDialog } from './MismatchDialog';
import type { PendingMismatch } from './mismatchRows';
import { ReconcilePanel } from './ReconcilePanel';
import { StudyBrowser } from './StudyBrowser';
import './importScreen.css';

const t = strings.mediaImport;
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The choices as they were when Import was pressed: what is checked, confirmed and sent. */
interface Snapshot {
  readonly picks: Picks;
  readonly pdfChoices: Readonly<Record<string, PdfChoice>>;
}

/** idle → checking (the station compares) → asking (mismatch dialog) → starting → started. */
type SendStep = 'idle' | 'checking' | 'asking' | 'starting';

/**
 * The import screen (issue 8): choose a disc or folder → browse what it holds → choose the local
 * patient for each outside patient (worklist or wristband) → confirm any mismatch side by side →
 * send through the outbox with progress → closing report. From Import until the import starts the
 * choices stand still, and what is sent is the snapshot that was checked and confirmed.
 */
export function ImportOverlay({
  scanner,
  onClose,
}: {
  scanner: StationInfo['scanner'] | undefined;
  onClose: () => void;
}) {
  const [session, setSession] = useState<MediaSession>();
  const [opening, setOpening] = useState(false);
  const [step, setStep] = useState<SendStep>('idle');
  const [error, setError] = useState<string>();
  const [picks, setPicks] = useState<Picks>(NO_PICKS);
  const [pdfChoices, setPdfChoices] = useState<Record<string, PdfChoice>>({});
  const [asking, setAsking] = useState<{ pending: PendingMismatch[]; snapshot: Snapshot }>();
  const [started, setStarted] = useState<ImportReportShape>();
  const [running, setRunning] = useState(false);
  const [askClose, setAskClose] = useState(false);
  /**
   * Set synchronously on Import until the import starts or the person cancels: a second click
   * before the next render does nothing, and no choice can change in between.
   */
  const sending = useRef(false);
  /** Bumped when the session is left: answers for the old session are dropped. */
  const generation = useRef(0);
  const locked = step !== 'idle';

  /** The session is the station's: leaving it ends it (a running import still finishes). */
  const leave = (then: () => void) => {
    generation.current += 1;
    sending.current = false;
    setStep('idle');
    setAsking(undefined);
    if (session)
      void station()
        .closeMedia({ sessionId: session.sessionId })
        .catch(() => undefined);
    then();
  };
  const importing = step === 'starting' || running;
  const close = () => (importing ? setAskClose(true) : leave(onClose));

  const open = (root: string) => {
    setOpening(true);
    setError(undefined);
    station()
      .openMedia({ root })
      .then((opened) => {
        setPicks(NO_PICKS);
        setPdfChoices({});
        setSession(opened);
      })
      .catch((e: unknown) => setError(message(e)))
      .finally(() => setOpening(false));
  };

  const start = async (current: MediaSession, snapshot: Snapshot, asOf: number) => {
    setStep('starting');
    try {
      const report = await station().startImport({
        sessionId: current.sessionId,
        assignments: assignmentsOf(current, snapshot.picks),
        pdfs: Object.entries(snapshot.pdfChoices)
          .filter(([, c]) => c.studyInstanceUid)
          .map(([id, c]) => ({ id, studyInstanceUid: c.studyInstanceUid })),
      });
      if (asOf === generation.current) setStarted(report);
    } catch (e) {
      if (asOf === generation.current) setError(message(e));
    }
  };

  /**
   * Checks every assigned patient of the snapshot; differences not already confirmed for the same
   * choice go to the side-by-side confirmation, else the import starts.
   */
  const send = async (current: MediaSession) => {
    if (sending.current) return;
    sending.current = true;
    setStep('checking');
    setError(undefined);
    const asOf = generation.current;
    const snapshot: Snapshot = { picks, pdfChoices };
    try {
      const found: PendingMismatch[] = [];
      for (const outside of current.patients) {
        const choice = snapshot.picks.choices[outside.key];
        if (!choice) continue;
        const { mismatches } = await station().checkReconciliation({
          sessionId: current.sessionId,
          outsideKey: outside.key,
          patient: choice.patient,
        });
        if (mismatches.length > 0 && !coveredBy(snapshot.picks.confirmed[outside.key], mismatches))
          found.push({ outsideKey: outside.key, outside, choice, mismatches });
      }
      if (asOf !== generation.current) return;
      if (found.length > 0) {
        setAsking({ pending: found, snapshot });
        setStep('asking');
        return; // still sending: the dialog's answer ends it
      }
      await start(current, snapshot, asOf);
    } catch (e) {
      if (asOf === generation.current) setError(message(e));
    }
    if (asOf !== generation.current) return;
    sending.current = false;
    setStep('idle');
  };

  const cancelAsking = () => {
    setAsking(undefined);
    sending.current = false;
    setStep('idle');
  };

  /** Confirmed: the differences shown are recorded for those choices, and exactly they are sent. */
  const confirmAsking = (current: MediaSession) => {
    if (!asking) return;
    const { pending, snapshot } = asking;
    const confirmed = { ...snapshot.picks.confirmed };
    for (const p of pending) confirmed[p.outsideKey] = p.mismatches;
    const confirmedPicks: Picks = { choices: snapshot.picks.choices, confirmed };
    // The panel was locked, so the choices are still the snapshot's; keep them with the answer.
    setPicks(confirmedPicks);
    setAsking(undefined);
    const asOf = generation.current;
    void start(current, { ...snapshot, picks: confirmedPicks }, asOf).finally(() => {
      if (asOf !== generation.current) return;
      sending.current = false;
      setStep('idle');
    });
  };

  const assigned = session ? assignmentsOf(session, picks).length : 0;
  const unassigned = session ? unassignedCount(session, picks.choices) : 0;
  return (
    <Dialog
      labelledBy="import-heading"
      testId="import-screen"
      className="import-screen"
      backdropClassName="import-backdrop"
      onEscape={close}
    >
      <header className="import-screen__header">
        <h2 id="import-heading">{t.heading}</h2>
        {session && !started && (
          <button
            type="button"
            disabled={locked}
            onClick={() => leave(() => setSession(undefined))}
          >
            {t.back}
          </button>
        )}
        <button type="button" onClick={close} data-testid="import-close">
          {t.close}
        </button>
      </header>
      {error && (
        <p className="state state--error" role="alert" data-testid="import-error">
          {error}
        </p>
      )}
      {!session && <MediaSourcePicker onOpen={open} busy={opening} />}
      {session && !started && (
        <div className="import-columns">
          <StudyBrowser
            session={session}
            pdfChoices={pdfChoices}
            disabled={locked}
            onPdfChoice={(id, studyInstanceUid) => {
              if (!sending.current) setPdfChoices((c) => ({ ...c, [id]: { studyInstanceUid } }));
            }}
          />
          <div>
            <ReconcilePanel
              session={session}
              choices={picks.choices}
              scanner={scanner}
              disabled={locked}
              onChoice={(key, choice) => {
                // A wristband scan can arrive while the panel is locked: it changes nothing then.
                if (!sending.current) setPicks((p) => withChoice(p, key, choice));
              }}
            />
            {assigned > 0 && unassigned > 0 && (
              <p className="state state--warning" data-testid="import-unassigned">
                {t.notImportedCount(unassigned)}
              </p>
            )}
            {step === 'checking' && <p className="hint">{t.checking}</p>}
            <button
              type="button"
              className="send"
              disabled={locked || assigned === 0}
              onClick={() => void send(session)}
              data-testid="import-send"
            >
              {t.send}
            </button>
          </div>
        </div>
      )}
      {started && <ImportProgressView initial={started} onRunning={setRunning} />}
      {session && asking && (
        <MismatchDialog
          pending={asking.pending}
          onCancel={cancelAsking}
          onConfirm={() => confirmAsking(session)}
        />
      )}
      {askClose && (
        <CloseWhileRunningDialog
          onStay={() => setAskClose(false)}
          onClose={() => {
            setAskClose(false);
            leave(onClose);
          }}
        />
      )}
    </Dialog>
  );
}
