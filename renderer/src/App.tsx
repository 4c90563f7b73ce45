import { useCallback, useEffect, useRef, useState } from 'react';
import type { BodySite, StationInfo } from '../../preload/contract';
import { station } from './api/station';
import { PatientBanner } from './components/PatientBanner';
import { CaptureView } from './features/capture/CaptureView';
import { ImportOverlay } from './features/import/ImportOverlay';
import { OutboxChip } from './features/outbox/OutboxChip';
import { useCamera } from './features/capture/useCamera';
import { recordingPatient, useRecorder } from './features/capture/useRecorder';
import { departmentProfile } from './features/capture/departmentProfile';
import { useStills } from './features/capture/useStills';
import { useReview } from './features/review/useReview';
import { useSendShortcut } from './features/review/useSendShortcut';
import { UnscheduledDialog } from './features/patient/UnscheduledDialog';
import { useBarcodeWedge } from './features/patient/useBarcodeWedge';
import { WorklistView } from './features/worklist/WorklistView';
import { strings } from './i18n/strings';
import { usePatientContext } from './usePatientContext';
import { PedalNotice, usePedalNotice } from './features/settings/PedalNotice';
import { StationNotices } from './features/settings/StationNotices';
import { PedalSettings } from './features/settings/PedalSettings';
import { useHidEvents } from './features/settings/useStationEvents';
import { scannedPatientId } from './features/patient/scannedId';
import { useShortcuts } from './useShortcuts';

type InfoState =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; info: StationInfo };

/** The station shell: who it is, who the patient is, the worklist and the live camera. */
export function App() {
  const [info, setInfo] = useState<InfoState>({ status: 'loading' });
  const [unscheduledOpen, setUnscheduledOpen] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const captureRef = useRef<HTMLDivElement>(null);
  const camera = useCamera(info.status === 'ready' ? info.info.department : undefined);
  const review = useReview();
  const stills = useStills(camera.video, review);
  const recorder = useRecorder(camera.video, review.adopt);
  const patient = usePatientContext(review.captures, recordingPatient(recorder.state));
  const { selected } = patient;
  const { takeStill } = stills;
  const [region, setRegion] = useState<BodySite>();
  const { sendFor } = review;
  useSendShortcut(() => {
    if (selected) void sendFor(selected.key);
  });
  const [dermoscope, setDermoscope] = useState(false);
  const profile = departmentProfile(info.status === 'ready' ? info.info.department : 'general');
  const capture = useCallback(() => {
    if (!selected || (profile.stillNeedsRegion && !region)) return;
    void takeStill(selected, { region, dermoscope: profile.dermoscopeSwitch && dermoscope });
  }, [selected, takeStill, region, profile, dermoscope]);
  const {
    state: recordState,
    start: startRecording,
    stop: stopRecording,
    fail: recordFailed,
  } = recorder;
  const recordingFor = recordingPatient(recordState);
  const toggleRecording = useCallback(() => {
    if (recordState.status === 'recording') void stopRecording();
    // Starting or saving: the press does nothing (useRecorder also refuses a second start).
    else if (profile.video && selected && region && !recordingFor) {
      startRecording(selected, region).catch((e: unknown) =>
        recordFailed(e instanceof Error ? e.message : String(e)),
      );
    }
  }, [
    recordState.status,
    recordingFor,
    profile.video,
    selected,
    region,
    startRecording,
    stopRecording,
    recordFailed,
  ]);
  useShortcuts({ searchRef, captureRef, onCapture: capture, onToggleRecording: toggleRecording });
  const [pedalsOpen, setPedalsOpen] = useState(false);
  // While the import screen is open a wristband scan belongs to its local-patient chooser, not to
  // the capture patient behind it (a scan must never silently switch who is being photographed).
  const [importOpen, setImportOpen] = useState(false);
  const pedalNotice = usePedalNotice();
  useHidEvents({
    onPedal: (action) => {
      if (action === 'still') capture();
      else if (action === 'video-toggle') toggleRecording();
      else recorder.mark();
    },
    onPedalIgnored: pedalNotice.ignored,
    onHidScan: (text) => {
      if (importOpen) return;
      const id = info.status === 'ready' ? scannedPatientId(text, info.info.scanner) : undefined;
      if (id) patient.onScan(id);
      else patient.onUnrecognisedScan(text);
    },
  });
  useBarcodeWedge(
    info.status === 'ready' && !importOpen ? info.info.scanner : undefined,
    patient.onScan,
    patient.onUnrecognisedScan,
  );

  useEffect(() => {
    station()
      .getStationInfo()
      .then((value) => setInfo({ status: 'ready', info: value }))
      .catch((error: unknown) =>
        setInfo({
          status: 'error',
          message: error instanceof Error ? error.message : String(error),
        }),
      );
  }, []);

  if (info.status === 'loading') return <p className="state">{strings.loadingStation}</p>;
  if (info.status === 'error') {
    return (
      <p className="state state--error" role="alert">
        {strings.stationUnreachable} ({info.message})
      </p>
    );
  }
  return (
    <div className="shell">
      <StationHeader
        info={info.info}
        onPedals={() => setPedalsOpen(true)}
        onImport={() => setImportOpen(true)}
      />
      {importOpen && (
        <ImportOverlay scanner={info.info.scanner} onClose={() => setImportOpen(false)} />
      )}
      <StationNotices />
      <PatientBanner item={selected} />
      <main className="workspace">
        <div className="workspace__list">
          <WorklistView
            selectedKey={selected?.key}
            onSelect={patient.select}
            searchRef={searchRef}
            text={patient.searchText}
            onTextChange={patient.setSearchText}
            notice={patient.notice}
          />
          <button
            type="button"
            className="link-button"
            onClick={() => setUnscheduledOpen(true)}
            data-testid="unscheduled-open"
          >
            {strings.unscheduled.open}
          </button>
        </div>
        <div ref={captureRef} tabIndex={-1} className="workspace__capture">
          <CaptureView
            patient={selected}
            camera={camera}
            department={info.info.department}
            captures={review.captures}
            review={review}
            flash={stills.flash}
            grabError={stills.grabError}
            region={region}
            onRegionChange={setRegion}
            profile={profile}
            dermoscope={dermoscope}
            onDermoscopeChange={setDermoscope}
            recorder={{
              state: recordState,
              elapsedSeconds: recorder.elapsedSeconds,
              markers: recorder.markers,
              onToggle: toggleRecording,
              onMark: recorder.mark,
            }}
            onCapture={capture}
          />
        </div>
      </main>
      <footer className="shortcuts">{strings.shortcuts}</footer>
      <PedalNotice text={pedalNotice.notice} />
      {pedalsOpen && <PedalSettings onClose={() => setPedalsOpen(false)} />}
      {unscheduledOpen && (
        <UnscheduledDialog
          onClose={() => setUnscheduledOpen(false)}
          onStart={(item) => {
            setUnscheduledOpen(false);
            patient.select(item);
          }}
        />
      )}
    </div>
  );
}

interface StationHeaderProps {
  readonly info: StationInfo;
  readonly onPedals: () => void;
  readonly onImport: () => void;
}

function StationHeader({ info, onPedals, onImport }: StationHeaderProps) {
  return (
    <header className="station-header" data-testid="station-header">
      <h1>{strings.appTitle}</h1>
      <span className="station-header__name">{info.name}</span>
      <span className="station-header__meta">
        {info.aeTitle} · {info.department}
        {info.institution ? ` · ${info.institution}` : ''}
      </span>
      <OutboxChip />
      <button type="button" className="header-button" onClick={onImport} data-testid="import-open">
        {strings.mediaImport.open}
      </button>
      <button type="button" className="header-button" onClick={onPedals} data-testid="pedals-open">
        {strings.pedals.open}
      </button>
      {info.demoDestination && (
        <span
          className="badge badge--demo"
          data-testid="destination-demo-badge"
          title={strings.demoDestinationHint}
        >
          {strings.demo} archive
        </span>
      )}
    </header>
  );
}
