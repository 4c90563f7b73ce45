import { useEffect, useState } from 'react';
import type { Notice } from '../../../../preload/contract';
import { station } from '../../api/station';
import { strings } from '../../i18n/strings';

/**
 * Warnings and errors the station raised on its own (a recording kept after the station closed
 * mid-recording, for instance): those from before this window opened are fetched, new ones
 * arrive as events. Each stays until a person dismisses it.
 */
export function StationNotices() {
  const [notices, setNotices] = useState<readonly Notice[]>([]);
  useEffect(() => {
    let live = true;
    const add = (notice: Notice) =>
      setNotices((shown) =>
        notice.level === 'info' || shown.some((n) => n.message === notice.message)
          ? shown
          : [...shown, notice],
      );
    const off = station().on('notice', add);
    station()
      .getNotices()
      .then((kept) => live && kept.forEach(add))
      .catch(() => undefined); // an unreachable station is said by the shell already
    return () => {
      live = false;
      off();
    };
  }, []);
  if (notices.length === 0) return null;
  return (
    <ul className="station-notices" data-testid="station-notices">
      {notices.map((notice) => (
        <li key={notice.message} className={`state state--${notice.level}`} role="alert">
          {notice.message}{' '}
          <button
            type="button"
            onClick={() => setNotices((shown) => shown.filter((n) => n !== notice))}
          >
            {strings.dismiss}
          </button>
        </li>
      ))}
    </ul>
  );
}
