import { useCallback, useEffect, useRef, useState } from 'react';
import type { WorklistItem } from '../../preload/contract';
import { station } from './api/station';
import type { CaptureRecord } from './features/capture/useStills';
import { switchDecision } from './features/patient/patientSwitch';
import { scanResult } from './features/patient/scanResult';
import { strings } from './i18n/strings';

/**
 * Who the station is capturing for. Switching away from a patient who has unsent captures asks
 * first (they stay in review bound to that patient; nothing is moved); while a recording starts,
 * runs or is saved for `recordingFor`, switching is refused with a notice (patientSwitch.ts).
 * A wristband scan selects
 * the patient's procedure directly when it is the only one with exactly that ID, or says plainly
 * why a person must choose (scanResult.ts).
 */
export function usePatientContext(
  captures: readonly CaptureRecord[],
  recordingFor: WorklistItem | undefined,
) {
  const [selected, setSelected] = useState<WorklistItem | undefined>();
  const [searchText, setSearchText] = useState('');
  const [notice, setNotice] = useState<string>();

  // select and a scan's late answer read these, never the values from when they were created:
  // a wristband query can take seconds, and the person may choose by hand meanwhile.
  const selectedRef = useRef<WorklistItem | undefined>(undefined);
  const capturesRef = useRef(captures);
  const recordingRef = useRef(recordingFor);
  useEffect(() => {
    capturesRef.current = captures;
    recordingRef.current = recordingFor;
  });

  const select = useCallback((item: WorklistItem) => {
    const decision = switchDecision(
      selectedRef.current,
      item,
      capturesRef.current,
      recordingRef.current,
    );
    if (decision.kind === 'refuse') {
      setNotice(decision.notice);
      return;
    }
    if (decision.kind === 'ask' && !window.confirm(decision.question)) return;
    setNotice(undefined);
    selectedRef.current = item;
    setSelected(item);
  }, []);

  const onScan = useCallback(
    (patientId: string) => {
      const before = selectedRef.current?.key;
      station()
        .queryWorklist({ patientId })
        .then(({ items }) => {
          // Someone chose a patient by hand while the query ran: theirs is the choice.
          if (selectedRef.current?.key !== before) {
            setNotice(strings.scan.overtaken(patientId));
            return;
          }
          const result = scanResult(patientId, items);
          if (result.kind === 'select') {
            setSearchText('');
            select(result.item);
          } else {
            setNotice(result.notice);
            setSearchText(result.search);
          }
        })
        .catch((error: unknown) =>
          setNotice(error instanceof Error ? error.message : String(error)),
        );
    },
    [select],
  );

  const onUnrecognisedScan = useCallback(
    (code: string) => setNotice(strings.scan.unrecognised(code)),
    [],
  );

  return { selected, select, searchText, setSearchText, notice, onScan, onUnrecognisedScan };
}
