import { useEffect, useState } from 'react';
import type { OutboxStatus } from '../../../../preload/contract';
import { station } from '../../api/station';
import { strings } from '../../i18n/strings';

/**
 * Always visible (issue 7): one honest sentence about what has not reached the archive yet,
 * e.g. "3 waiting — pacs unreachable since 10:42". Updated by the station's events.
 */
export function OutboxChip() {
  const [status, setStatus] = useState<OutboxStatus>();
  const [error, setError] = useState<string>();

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

  const tone =
    error || (status?.needsAttention ?? 0) > 0 ? 'bad' : (status?.unsent ?? 0) > 0 ? 'busy' : 'ok';
  return (
    <span
      className={`outbox-chip outbox-chip--${tone}`}
      role="status"
      title={strings.outbox.title}
      data-testid="outbox-chip"
    >
      {error ?? status?.text ?? strings.outbox.loading}
    </span>
  );
}
