import { useEffect, useRef, useState } from 'react';
import type { StationInfo, WorklistItem } from '../../preload/contract';
import { station } from './api/station';
import { PatientBanner } from './components/PatientBanner';
import { CaptureView } from './features/capture/CaptureView';
import { WorklistView } from './features/worklist/WorklistView';
import { strings } from './i18n/strings';
import { useShortcuts } from './useShortcuts';

type InfoState =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; info: StationInfo };

/** The station shell: who it is, who the patient is, the worklist and the live camera. */
export function App() {
  const [info, setInfo] = useState<InfoState>({ status: 'loading' });
  const [selected, setSelected] = useState<WorklistItem | undefined>();
  const searchRef = useRef<HTMLInputElement>(null);
  const captureRef = useRef<HTMLDivElement>(null);
  useShortcuts({ searchRef, captureRef });

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
      <StationHeader info={info.info} />
      <PatientBanner item={selected} />
      <main className="workspace">
        <WorklistView selectedKey={selected?.key} onSelect={setSelected} searchRef={searchRef} />
        <div ref={captureRef} tabIndex={-1} className="workspace__capture">
          <CaptureView patient={selected} />
        </div>
      </main>
      <footer className="shortcuts">{strings.shortcuts}</footer>
    </div>
  );
}

function StationHeader({ info }: { info: StationInfo }) {
  return (
    <header className="station-header" data-testid="station-header">
      <h1>{strings.appTitle}</h1>
      <span className="station-header__name">{info.name}</span>
      <span className="station-header__meta">
        {info.aeTitle} · {info.department}
        {info.institution ? ` · ${info.institution}` : ''}
      </span>
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
