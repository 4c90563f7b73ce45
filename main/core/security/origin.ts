/**
 * Origins compared as strings, computed the way Chromium does for standard schemes.
 *
 * Why not `new URL(x).origin`: WHATWG URL (Node) gives the opaque origin "null" for any scheme it
 * does not know, such as our privileged `app://station`, while Chromium treats a scheme registered
 * as `standard` like http. Both sides of every comparison go through `originOf`, so they agree.
 */

/**
 * The origin (`scheme://host[:port]`, lower case, no trailing slash) of a URL or of an origin
 * string. Undefined for anything without a host (`file:`, `data:`, `about:blank`, "null", junk):
 * such a caller never matches an app origin, so every check built on this fails closed.
 */
export function originOf(urlOrOrigin: string | null | undefined): string | undefined {
  if (!urlOrOrigin) return undefined;
  let url: URL;
  try {
    url = new URL(urlOrOrigin);
  } catch {
    return undefined;
  }
  if (url.host === '') return undefined;
  return `${url.protocol}//${url.host}`.toLowerCase();
}

/** True only when both are hosted URLs/origins of the same scheme, host and port. */
export function isSameOrigin(a: string | null | undefined, b: string | null | undefined): boolean {
  const left = originOf(a);
  return left !== undefined && left === originOf(b);
}
