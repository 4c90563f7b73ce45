import { useCallback, useState } from 'react';
import type { WorklistItem } from '../../preload/contract';
import { station } from './api/station';
import { formatPersonName } from './components/format';
import type { CaptureRecord } from './features/capture/useStills';
import { scanResult } from './features/patient/scanResult';
import { strings } from './i18n/strings';

const UNSENT = new Set<CaptureRecord['state']>(['saving', 'review', 'sending']);

/**
 * Who the station is capturing for. Switching away from a patient who has unsent captures asks
 * first (they stay in review bound to that patient; nothing is moved). A wristband scan selects
 * the patient's procedure directly when it is the only one with exactly that ID, or says plainly
 * why a person must choose (scanResult.ts).
 */
export function usePatientContext(captures: readonly CaptureRecord[]) {
  const [selected, setSelected] = useState<WorklistItem | undefined>();
  const [searchText, setSearchText] = useState('');
  const [notice, setNotice] = useState<string>();

  const select = useCallback(
    (item: WorklistItem) => {
      if (selected && item.key !== selected.key) {
        // Unsent: in review, or being saved or sent; what is in the outbox goes anyway.
        const count = captures.filter(
          (c) => c.item.key === selected.key && UNSENT.has(c.state),
        ).length;
        const question = strings.switchPatient(
          formatPersonName(selected.patient.name),
          count,
          formatPersonName(item.patient.name),
        );
        if (count > 0 && !window.confirm(question)) return;
      }
      setNotice(undefined);
      setSelected(item);
    },
    [selected, captures],
  );

  const onScan = useCallback(
    (patientId: string) => {
      station()
        .queryWorklist({ patientId })
        .then(({ items }) => {
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
