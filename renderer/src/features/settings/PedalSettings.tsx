import { Dialog } from '../../components/Dialog';
import { useEffect, useState } from 'react';
import type { HidStatus, PedalAction } from '../../../../preload/contract';
import { station } from '../../api/station';
import { strings } from '../../i18n/strings';

const t = strings.pedals;
const ACTIONS: readonly PedalAction[] = ['still', 'video-toggle', 'marker'];
const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'AltGraph', 'Meta', 'CapsLock']);

/** Foot pedals and HID scanners: what is connected, what each pedal does, "press the pedal now". */
export function PedalSettings({ onClose }: { onClose: () => void }) {
  const [status, setStatus] = useState<HidStatus>();
  const [learning, setLearning] = useState<PedalAction>();
  /** Waiting for the key a keyboard-type pedal sends, to bind it to this action. */
  const [keyLearning, setKeyLearning] = useState<PedalAction>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    const off = station().on('hidChanged', setStatus);
    station()
      .getHidStatus()
      .then(setStatus)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    return off;
  }, []);

  useEffect(() => {
    if (!keyLearning) return;
    // Capture phase: the key is the pedal's, not the dialog's (Escape cancels the learning only).
    const onKey = (event: KeyboardEvent) => {
      if (MODIFIERS.has(event.key) || event.key === 'Tab') return;
      event.preventDefault();
      event.stopPropagation();
      setKeyLearning(undefined);
      if (event.key === 'Escape') return;
      station()
        .bindPedalKey({ code: event.code, action: keyLearning })
        .then((next) => {
          setStatus(next);
          setError(undefined);
        })
        .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [keyLearning]);

  const learn = (action: PedalAction) => {
    setLearning(action);
    setError(undefined);
    station()
      .learnPedal({ action })
      .then(setStatus)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setLearning(undefined));
  };

  return (
    <Dialog labelledBy="pedals-heading" testId="pedal-settings" onEscape={onClose}>
      <h2 id="pedals-heading">{t.heading}</h2>
      {status?.unavailable && <p className="state state--warning">{status.unavailable}</p>}
      <h3>{t.devices}</h3>
      <ul>
        {status?.devices.length === 0 && <li>{t.noDevices}</li>}
        {status?.devices.map((d) => (
          <li key={`${d.name}-${d.role}`}>
            {d.name} ({d.role}): {d.state}
            {d.message ? ` — ${d.message}` : ''}
          </li>
        ))}
      </ul>
      <h3>{t.bindings}</h3>
      <ul>
        {ACTIONS.map((action) => (
          <li key={action} className="dialog__row">
            <span>
              {t.actions[action]}:{' '}
              {status?.bindings
                .filter((b) => b.action === action)
                .map((b) => b.button)
                .join(', ') || t.unbound}
            </span>
            <button
              type="button"
              onClick={() => learn(action)}
              disabled={learning !== undefined}
              data-testid={`learn-${action}`}
            >
              {learning === action ? t.pressNow : t.learn}
            </button>
            <button
              type="button"
              onClick={() => setKeyLearning(action)}
              disabled={learning !== undefined || keyLearning !== undefined}
              data-testid={`learn-key-${action}`}
            >
              {keyLearning === action ? t.pressKeyNow : t.learnKey}
            </button>
          </li>
        ))}
      </ul>
      {error && (
        <p className="state state--error" role="alert">
          {error}
        </p>
      )}
      <button type="button" onClick={onClose}>
        {strings.outbox.close}
      </button>
    </Dialog>
  );
}
