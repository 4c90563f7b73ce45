import type { WorklistItem } from '../../../../preload/contract';
import { formatPersonName } from '../../components/format';
import type { CaptureRecord } from '../review/reviewChanges';
import { strings } from '../../i18n/strings';

const UNSENT = new Set<CaptureRecord['state']>(['saving', 'review', 'sending']);

/** What choosing `next` as the patient does, given who is selected and what is going on. */
export type SwitchDecision =
  /** Nothing to do (the same patient) or nothing to ask: switch. */
  | { readonly kind: 'switch' }
  /** The selected patient has unsent captures: ask this question first. */
  | { readonly kind: 'ask'; readonly question: string }
  /** Refused, with the reason to show (a recording runs for another patient). */
  | { readonly kind: 'refuse'; readonly notice: string };

/**
 * Whether the station may change who it captures for. While a recording starts, runs or is saved,
 * the patient cannot change: the video goes to the patient it was started for, so the banner must
 * keep showing that patient (the recording is never stopped for the person). Switching away from
 * a patient with unsent captures (being saved, in review or being sent) asks first.
 */
export function switchDecision(
  selected: WorklistItem | undefined,
  next: WorklistItem,
  captures: readonly CaptureRecord[],
  recordingFor: WorklistItem | undefined,
): SwitchDecision {
  if (recordingFor && recordingFor.key !== next.key) {
    return {
      kind: 'refuse',
      notice: strings.recordingBlocksSwitch(formatPersonName(recordingFor.patient.name)),
    };
  }
  if (!selected || selected.key === next.key) return { kind: 'switch' };
  const count = captures.filter((c) => c.item.key === selected.key && UNSENT.has(c.state)).length;
  if (count === 0) return { kind: 'switch' };
  const question = strings.switchPatient(
    formatPersonName(selected.patient.name),
    count,
    formatPersonName(next.patient.name),
  );
  return { kind: 'ask', question };
}
