/**
 * Electron's side of the station's security policy: the privileged `app://` scheme that serves the
 * renderer with its CSP, the session's permission handlers, and navigation / window.open /
 * <webview> denial for every WebContents. The policy itself (CSP, permissions, file confinement)
 * is Electron-free in main/core/security, shared with browser mode.
 */
import type { App, Protocol, Session, WebContents } from 'electron';
import { protocol } from 'electron';
import type { Logger } from '../core/log/Logger';
import { isSameOrigin } from '../core/security/origin';
import { areMediaTypesAllowed, isPermissionAllowed } from '../core/security/permissionPolicy';
import { securityHeaders } from '../core/security/securityHeaders';
import { createAppProtocolHandler } from './appProtocol';
import { APP_ORIGIN, APP_SCHEME } from './appOrigin';

/**
 * Must run before `app.whenReady()` (Electron only accepts it then). `standard` gives app:// real
 * origins and relative URLs; `secure` makes it a secure context, which getUserMedia requires;
 * `supportFetchAPI` and `corsEnabled` let module scripts (type="module" crossorigin) load.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true },
    },
  ]);
}

/** Serves `root` (out/renderer) on app://station/ with the CSP on every response. After ready. */
export function serveApp(root: string, target: Pick<Protocol, 'handle'> = protocol): void {
  target.handle(APP_SCHEME, createAppProtocolHandler({ root, headers: securityHeaders() }));
}

type PermissionSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>;

/**
 * Default deny: grants only camera/microphone ('media' with mediaTypes ⊆ {video, audio}) to a
 * frame on `appOrigin`, for both permission requests (getUserMedia prompts) and permission checks
 * (navigator.permissions, device labels). Denied requests are logged.
 */
export function installPermissionHandlers(
  session: PermissionSession,
  log: Logger,
  appOrigin: string = APP_ORIGIN,
): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const origins = [details.requestingUrl];
    if ('securityOrigin' in details && details.securityOrigin) origins.push(details.securityOrigin);
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
    const granted =
      origins.every((origin) => isPermissionAllowed(permission, origin, appOrigin)) &&
      areMediaTypesAllowed(mediaTypes);
    if (!granted)
      log.warn('permission denied', { permission, requestingUrl: details.requestingUrl });
    callback(granted);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => {
    const mediaTypes = details.mediaType ? [details.mediaType] : undefined;
    return (
      isPermissionAllowed(permission, requestingOrigin, appOrigin) &&
      areMediaTypesAllowed(mediaTypes)
    );
  });
}

/**
 * Applies `hardenWebContents` to every WebContents the app ever creates (windows, and anything
 * that slips past the other rules), so no code path can open an unhardened one.
 */
export function hardenAllWebContents(
  app: Pick<App, 'on'>,
  log: Logger,
  appOrigin: string = APP_ORIGIN,
): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, log, appOrigin));
}

/**
 * Navigation (and redirects) away from `appOrigin` are cancelled; window.open and target=_blank
 * are denied (a clinical station opens no other pages, not even in the system browser);
 * <webview> is never attached. Each refusal is logged with the URL.
 */
export function hardenWebContents(
  contents: WebContents,
  log: Logger,
  appOrigin = APP_ORIGIN,
): void {
  const keepOnAppOrigin = (event: { url: string; preventDefault(): void }, kind: string): void => {
    if (isSameOrigin(event.url, appOrigin)) return;
    event.preventDefault();
    log.warn(`${kind} denied`, { url: event.url });
  };
  contents.on('will-navigate', (event) => keepOnAppOrigin(event, 'navigation'));
  contents.on('will-redirect', (event) => keepOnAppOrigin(event, 'redirect'));
  contents.setWindowOpenHandler(({ url }) => {
    log.warn('window.open denied', { url });
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('webview denied');
  });
}
