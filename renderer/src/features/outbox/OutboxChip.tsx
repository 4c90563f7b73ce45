import { useEffect, useState } from 'react';
import type { OutboxStatus } from '../../../../preload/contract';
import { useLeaveWarning } from '../../useLeaveWarning';
import { station } from '../../api/station';
import { strings } from '../../i18n/strings';
import { OutboxView } from './OutboxView';

/**
 * Always visible (issue 7): one honest sentence about what has not reached the archive yet,
 * e.g. "3 waiting — PACS unreachable since 10:42". Updated by the station's events; opens the
 * outbox view with per-item progress and controls.
 */
export function OutboxChip() {
  const [status, setStatus] = useState<OutboxStatus>();
  const [error, setError] = useState<string>();
  const [open, setOpen] = useState(false);

  useEffect(() => {
    let current = true;
    const unsubscribe = station().on('outboxChanged', (next) => current && setStatus(next));
    station()
      .getOutboxStatus()
      .then((first) => current && setStatus((latest) => latest ?? first))
      .catch((e: unknown) => current && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      current = false;
      unsubscribe();
    };
  }, []);

  // Browser mode: leaving the page with unsent images asks first (they keep sending regardless).
  useLeaveWarning(status?.unsent ?? 0);

  const bad = error !== undefined || (status?.needsAttention ?? 0) > 0;
  const tone = bad ? 'bad' : (status?.unsent ?? 0) > 0 ? 'busy' : 'ok';
  return (
    <>
      <button
        type="button"
        className={`outbox-chip outbox-chip--${tone}`}
        title={strings.outbox.title}
        onClick={() => setOpen(true)}
        disabled={!status}
        data-testid="outbox-chip"
      >
        {error ?? status?.text ?? strings.outbox.loading}
      </button>
      {open && status && <OutboxView status={status} onClose={() => setOpen(false)} />}
    </>
  );
}
