import { Dialog } from '../../components/Dialog';
import { useState } from 'react';
import type { OutboxControl, OutboxStatus } from '../../../../preload/contract';
import { station } from '../../api/station';
import { strings } from '../../i18n/strings';

const t = strings.outbox;

/**
 * What has not reached the archive, per destination and per item, with overall and per-item
 * progress bars; pause, resume, retry now, and cancel (which asks first: a cancelled image is
 * never sent).
 */
export function OutboxView({ status, onClose }: { status: OutboxStatus; onClose: () => void }) {
  const [error, setError] = useState<string>();
  const control = (request: OutboxControl) => {
    if (request.action === 'cancel' && !window.confirm(t.confirmCancel)) return;
    const confirmed = request.action === 'cancel' ? { confirmed: true as const } : {};
    station()
      .controlOutbox({ ...request, ...confirmed })
      .then(() => setError(undefined))
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  const pending = status.items.filter(
    (item) =>
      item.progress < 1 ||
      Object.values(item.deliveries).some((d) => d.state !== 'committed' && d.state !== 'sent'),
  );

  return (
    <Dialog
      labelledBy="outbox-heading"
      testId="outbox-view"
      className="dialog--wide"
      onEscape={onClose}
    >
      <h2 id="outbox-heading">{t.heading}</h2>
      <p data-testid="outbox-text">{status.text}</p>
      <progress max={1} value={status.progress} aria-label={t.overall} />
      <table className="worklist">
        <thead>
          <tr>
            <th>{t.destination}</th>
            <th>{t.state}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {status.destinations.map((d) => (
            <tr key={d.name} data-testid="outbox-destination">
              <td>
                {d.name}
                {d.demo ? ` (${strings.demo})` : ''}
              </td>
              <td>
                {Object.entries(d.counts)
                  .filter(([, n]) => n > 0)
                  .map(([state, n]) => `${n} ${state}`)
                  .join(', ') || t.nothing}
                {d.paused ? ` — ${t.paused}` : ''}
                {d.lastProblem ? ` — ${d.lastProblem}` : ''}
                {d.controlPending ? ` — ${t.controlPending}` : ''}
              </td>
              <td className="actions">
                <button
                  type="button"
                  onClick={() =>
                    control({ action: d.paused ? 'resume' : 'pause', destination: d.name })
                  }
                >
                  {d.paused ? t.resume : t.pause}
                </button>
                <button
                  type="button"
                  onClick={() => control({ action: 'retry', destination: d.name })}
                >
                  {t.retry}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ul className="outbox-items">
        {pending.map((item) => (
          <li key={item.jobId} data-testid="outbox-item">
            <progress max={1} value={item.progress} aria-label={item.sopInstanceUid} />
            {item.controlPending ? <span className="pending">{t.controlPending}</span> : null}
            {Object.entries(item.deliveries).map(([destination, d]) => (
              <span key={destination} className={`delivery delivery--${d.state}`}>
                {destination}: {d.state}
                {d.problem ? ` — ${d.problem}` : ''}
                <button
                  type="button"
                  onClick={() => control({ action: 'retry', destination, jobId: item.jobId })}
                >
                  {t.retry}
                </button>
                <button
                  type="button"
                  onClick={() => control({ action: 'cancel', destination, jobId: item.jobId })}
                >
                  {t.cancel}
                </button>
              </span>
            ))}
          </li>
        ))}
      </ul>
      {error && (
        <p className="state state--error" role="alert">
          {error}
        </p>
      )}
      <button type="button" onClick={onClose} autoFocus>
        {t.close}
      </button>
    </Dialog>
  );
}
