/**
 * The station's Content Security Policy, shared by the Electron protocol handler (main/app) and the
 * browser-mode server (main/serve), so both transports serve the renderer under the same rules.
 * Electron-free.
 */

export interface ContentSecurityPolicyOptions {
  /**
   * Extra `connect-src` sources, e.g. the browser-mode WebSocket origin `ws://127.0.0.1:48123`
   * (or `ws://127.0.0.1:*`). Each must be a bare `scheme://host[:port|:*]` with scheme ws, wss,
   * http or https; anything else throws, so a caller can never inject a directive.
   */
  readonly connectSources?: readonly string[];
}

/**
 * Starts from `default-src 'none'` and opens only what the station uses:
 * - scripts, styles and fonts from the app itself (no inline code, no eval);
 * - images from the app, plus `blob:` and `data:` (captured photos, thumbnails);
 * - media from the app, `blob:` (recorded clips) and `mediastream:` (the live camera);
 * - workers from the app and `blob:` (the ffmpeg.wasm worker);
 * - no plugins, no `<base>`, no form posts, and no framing of the app by anyone.
 */
const BASE_DIRECTIVES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['default-src', ["'none'"]],
  ['script-src', ["'self'"]],
  ['style-src', ["'self'"]],
  ['img-src', ["'self'", 'blob:', 'data:']],
  ['media-src', ["'self'", 'blob:', 'mediastream:']],
  ['connect-src', ["'self'"]],
  ['font-src', ["'self'"]],
  ['worker-src', ["'self'", 'blob:']],
  ['object-src', ["'none'"]],
  ['base-uri', ["'none'"]],
  ['form-action', ["'none'"]],
  ['frame-ancestors', ["'none'"]],
];

/** `scheme://host[:port|:*]` with nothing after it: no path, spaces, quotes or semicolons. */
const CONNECT_SOURCE = /^(wss?|https?):\/\/[A-Za-z0-9.-]+(:(\d{1,5}|\*))?$/;

/**
 * Builds the CSP header value. Throws an Error naming the source when a `connectSources` entry is
 * not a bare origin (a programming error, never user input).
 */
export function buildContentSecurityPolicy(options: ContentSecurityPolicyOptions = {}): string {
  const extraConnect = options.connectSources ?? [];
  for (const source of extraConnect) {
    if (!CONNECT_SOURCE.test(source)) {
      throw new Error(`connect-src source must be scheme://host[:port|:*], got "${source}"`);
    }
  }
  return BASE_DIRECTIVES.map(([name, sources]) => {
    const all = name === 'connect-src' ? [...sources, ...extraConnect] : sources;
    return `${name} ${all.join(' ')}`;
  }).join('; ');
}
