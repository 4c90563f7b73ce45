/**
 * Which browser permissions the station grants, shared by Electron's session handlers (main/app)
 * and the browser-mode server (main/serve). Electron-free. Default deny: a station page may use
 * the camera and microphone and show the live preview full screen, and nothing else (no geolocation,
 * notifications, HID/USB/serial from the page, clipboard reads, display capture…). Pedals and scopes
 * are reached from main, not the page.
 */
import { isSameOrigin } from './origin';

/** Chromium's permission name for getUserMedia (camera and microphone). */
const MEDIA_PERMISSION = 'media';

/** Electron routes element.requestFullscreen() through the same check (the full-screen preview). */
const FULLSCREEN_PERMISSION = 'fullscreen';

/** What the app's own origin may have. */
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set([MEDIA_PERMISSION, FULLSCREEN_PERMISSION]);

/** The media types a `media` request may ask for: camera (video) and microphone (audio). */
const ALLOWED_MEDIA_TYPES: ReadonlySet<string> = new Set(['video', 'audio']);

/**
 * True only for `media` or `fullscreen` requested by the app's own origin. `requestingOrigin` and
 * `appOrigin` may be origins or full URLs; an unparsable or opaque origin ("null", `file:`) is
 * refused.
 */
export function isPermissionAllowed(
  permission: string,
  requestingOrigin: string,
  appOrigin: string,
): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isSameOrigin(requestingOrigin, appOrigin);
}

/**
 * True when every requested media type is camera or microphone (an empty list asks for nothing
 * more). Electron reports `mediaTypes` on a `media` request and `mediaType` (which may be
 * 'unknown') on a check; anything outside {video, audio} is refused.
 */
export function areMediaTypesAllowed(mediaTypes: readonly string[] | undefined): boolean {
  return (mediaTypes ?? []).every((type) => ALLOWED_MEDIA_TYPES.has(type));
}
