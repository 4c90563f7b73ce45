import { useEffect, useState, type FormEvent } from 'react';
import type { MediaList } from '../../../../preload/features/mediaImport';
import { station } from '../../api/station';
import { strings } from '../../i18n/strings';
import { FolderBrowser } from './FolderBrowser';

const t = strings.mediaImport;

/**
 * Where the import comes from: a disc or USB drive the station noticed (kept current by the
 * `mediaChanged` event), or a folder typed as an absolute path on the station computer (in browser
 * mode that is the machine running the station, not the tablet).
 */
export function MediaSourcePicker({
  onOpen,
  busy,
}: {
  onOpen: (root: string) => void;
  busy: boolean;
}) {
  const [list, setList] = useState<MediaList>();
  const [folder, setFolder] = useState('');
  const [browsing, setBrowsing] = useState(false);

  useEffect(() => {
    let current = true;
    const off = station().on('mediaChanged', (next) => current && setList(next));
    station()
      .listMedia()
      .then((first) => current && setList(first))
      .catch((e: unknown) =>
        setList({ media: [], unavailable: e instanceof Error ? e.message : String(e) }),
      );
    return () => {
      current = false;
      off();
    };
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (folder.trim()) onOpen(folder.trim());
  };

  return (
    <div className="import-source">
      <h3>{t.detected}</h3>
      {list?.unavailable && <p className="state state--warning">{list.unavailable}</p>}
      {list && list.media.length === 0 && <p className="hint">{t.noneDetected}</p>}
      <ul className="import-media" data-testid="import-media-list">
        {list?.media.map((medium) => (
          <li key={medium.root}>
            <button
              type="button"
              disabled={busy}
              onClick={() => onOpen(medium.root)}
              data-testid="import-medium"
            >
              {medium.kind === 'optical' ? '💿' : '🔌'} {medium.label}{' '}
              <span className="hint">
                {medium.root} · {medium.filesystem}
              </span>
            </button>
          </li>
        ))}
      </ul>
      <h3>{t.folder}</h3>
      <form onSubmit={submit} className="dialog__row">
        <input
          aria-label={t.folderPath}
          placeholder={t.folderPath}
          value={folder}
          onChange={(e) => setFolder(e.target.value)}
          data-testid="import-folder-path"
        />
        <button type="submit" disabled={busy || !folder.trim()} data-testid="import-folder-open">
          {t.openFolder}
        </button>
        <button
          type="button"
          onClick={() => setBrowsing((open) => !open)}
          aria-expanded={browsing}
          data-testid="import-folder-browse"
        >
          {t.browse}
        </button>
      </form>
      {browsing && (
        <FolderBrowser
          // Starts where the typed path points, when it is absolute; else the home folder.
          start={/^(\/|[A-Za-z]:[\\/])/.test(folder.trim()) ? folder.trim() : undefined}
          busy={busy}
          onChoose={onOpen}
        />
      )}
      {busy && <p className="state">{t.reading}</p>}
    </div>
  );
}
