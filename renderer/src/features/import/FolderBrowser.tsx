import { useEffect, useState } from 'react';
import type { FolderListing } from '../../../../preload/features/mediaImport';
import { station } from '../../api/station';
import { strings } from '../../i18n/strings';

const t = strings.mediaImport;

/**
 * "Import folder…" without typing a path: the station lists folders on its own computer (names
 * only), one level at a time, starting at `start` (or the home folder). Choosing a folder opens it
 * like a disc.
 */
export function FolderBrowser({
  start,
  busy,
  onChoose,
}: {
  start: string | undefined;
  busy: boolean;
  onChoose: (path: string) => void;
}) {
  const [path, setPath] = useState(start);
  const [listing, setListing] = useState<FolderListing>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let current = true;
    station()
      .listFolders(path ? { path } : {})
      .then((next) => {
        if (!current) return;
        setListing(next);
        setError(undefined);
      })
      .catch((e: unknown) => current && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      current = false;
    };
  }, [path]);

  return (
    <div className="folder-browser" data-testid="folder-browser">
      <div className="dialog__row">
        <code data-testid="folder-browser-path">{listing?.path ?? path}</code>
        <button
          type="button"
          disabled={!listing?.parent}
          onClick={() => listing?.parent && setPath(listing.parent)}
          data-testid="folder-browser-up"
        >
          {t.up}
        </button>
        <button
          type="button"
          disabled={busy || !listing}
          onClick={() => listing && onChoose(listing.path)}
          data-testid="folder-browser-use"
        >
          {t.useFolder}
        </button>
      </div>
      {error && (
        <p className="state state--error" role="alert">
          {error}
        </p>
      )}
      {listing && listing.folders.length === 0 && <p className="hint">{t.noSubfolders}</p>}
      <ul className="folder-browser__list">
        {listing?.folders.map((name) => (
          <li key={name}>
            <button
              type="button"
              className="link-button"
              onClick={() => setPath(`${listing.path.replace(/[\\/]$/, '')}/${name}`)}
              data-testid="folder-browser-folder"
            >
              📁 {name}
            </button>
          </li>
        ))}
      </ul>
      {listing?.truncated && <p className="hint">{t.truncated}</p>}
    </div>
  );
}
