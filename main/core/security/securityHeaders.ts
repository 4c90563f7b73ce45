/**
 * Response headers every renderer file carries, in Electron (`app://`) and in browser mode, so a
 * page is never served without its CSP. Electron-free.
 */
import {
  buildContentSecurityPolicy,
  type ContentSecurityPolicyOptions,
} from './contentSecurityPolicy';

/**
 * CSP plus the small set of headers that keep a page from being sniffed, leaking its URL (the
 * browser-mode token is in it) in a Referer, sharing a browsing context group with an opener, or
 * being framed.
 */
export function securityHeaders(
  options: ContentSecurityPolicyOptions = {},
): Record<string, string> {
  return {
    'content-security-policy': buildContentSecurityPolicy(options),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    // frame-ancestors 'none' says the same to any browser that reads CSP; this is for the rest.
    'x-frame-options': 'DENY',
  };
}
