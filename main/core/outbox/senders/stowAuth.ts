/**
 * Authorization for STOW-RS: HTTP Basic (RFC 7617), a Bearer token (RFC 6750), or an OAuth2
 * client-credentials grant (RFC 6749 4.4) whose token is cached until shortly before it expires and
 * fetched again after a 401. Secrets come from a SecretSource and are never logged.
 */
import type { StowAuth } from '../outboxConfig';
import type { SecretSource } from '../secrets';
import { httpRequest } from './httpRequest';

export interface Authorizer {
  /** The Authorization header value, or undefined for none. */
  header(): Promise<string | undefined>;
  /** The server said 401: forget a cached token. Returns true when a retry may help. */
  invalidate(): boolean;
}

const noAuth: Authorizer = { header: () => Promise.resolve(undefined), invalidate: () => false };
const EXPIRY_MARGIN_MS = 30_000;

export function authorizer(
  auth: StowAuth | undefined,
  secrets: SecretSource | undefined,
  options: { ca?: Buffer; now?: () => number } = {},
): Authorizer {
  if (!auth) return noAuth;
  if (!secrets)
    throw new Error('STOW-RS authentication is configured but no secret store is available');
  if (auth.type === 'basic') {
    return {
      header: async () => {
        const password = await secrets.get(auth.passwordSecret);
        return `Basic ${Buffer.from(`${auth.username}:${password}`).toString('base64')}`;
      },
      invalidate: () => false,
    };
  }
  if (auth.type === 'bearer') {
    return {
      header: async () => `Bearer ${await secrets.get(auth.tokenSecret)}`,
      invalidate: () => false,
    };
  }
  return clientCredentials(auth, secrets, options.ca, options.now ?? Date.now);
}

function clientCredentials(
  auth: Extract<StowAuth, { type: 'oauth2' }>,
  secrets: SecretSource,
  ca: Buffer | undefined,
  now: () => number,
): Authorizer {
  let cached: { token: string; expiresAt: number } | undefined;
  return {
    header: async () => {
      if (!cached || cached.expiresAt <= now()) cached = await fetchToken(auth, secrets, ca, now);
      return `Bearer ${cached.token}`;
    },
    invalidate: () => {
      const hadToken = cached !== undefined;
      cached = undefined;
      return hadToken;
    },
  };
}

async function fetchToken(
  auth: Extract<StowAuth, { type: 'oauth2' }>,
  secrets: SecretSource,
  ca: Buffer | undefined,
  now: () => number,
): Promise<{ token: string; expiresAt: number }> {
  const secret = await secrets.get(auth.clientSecretSecret);
  // RFC 6749 2.3.1: client id and secret form-encoded, then HTTP Basic.
  const basic = Buffer.from(
    `${encodeURIComponent(auth.clientId)}:${encodeURIComponent(secret)}`,
  ).toString('base64');
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (auth.scope) form.set('scope', auth.scope);
  const body = Buffer.from(form.toString());
  const answer = await httpRequest({
    url: auth.tokenUrl,
    method: 'POST',
    ca,
    headers: {
      Authorization: `Basic ${basic}`,
      'Content-Type': 'application/x-www-form-urlencoded',
      'Content-Length': body.length,
      Accept: 'application/json',
    },
    writeBody: (target) => new Promise((resolve) => target.end(body, resolve)),
    timeoutMs: 30_000,
  });
  if (answer.status !== 200) throw new Error(`token endpoint answered HTTP ${answer.status}`);
  const json = JSON.parse(answer.body.toString('utf8')) as {
    access_token?: unknown;
    expires_in?: unknown;
  };
  if (typeof json.access_token !== 'string') throw new Error('token endpoint gave no access_token');
  const lifetimeMs = typeof json.expires_in === 'number' ? json.expires_in * 1000 : 300_000;
  return {
    token: json.access_token,
    expiresAt: now() + Math.max(0, lifetimeMs - EXPIRY_MARGIN_MS),
  };
}
