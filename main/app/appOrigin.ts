/**
 * Where the station's pages live inside Electron: `app://station/…`, a privileged standard scheme
 * served from out/renderer (security.ts). A real origin (unlike `file://`) lets the CSP say 'self',
 * the permission handler compare origins, and IPC refuse any other sender. Electron-free.
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'station';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** The app URL of a renderer path, e.g. appUrl('index.html') → 'app://station/index.html'. */
export function appUrl(path: string): string {
  return `${APP_ORIGIN}/${path.replace(/^\/+/, '')}`;
}
