/**
 * Secrets never reach the log (issue 2, item 6): values under keys that name a secret are
 * replaced, and token/password parameters inside URLs or free text are masked.
 */
const SECRET_KEY = /pass(word)?|secret|token|authorization|credential|api[-_]?key|cookie/i;
const SECRET_IN_TEXT = /\b(token|access_token|password|secret|api[-_]?key)=([^&\s"']+)/gi;
const BEARER_IN_TEXT = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;

export const REDACTED = '[redacted]';

export function redactText(text: string): string {
  return text.replace(SECRET_IN_TEXT, `$1=${REDACTED}`).replace(BEARER_IN_TEXT, `$1 ${REDACTED}`);
}

/** Deep copy of `value` with secrets masked; cycles and depth are bounded so logging never throws. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 6) return '[…]';
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? REDACTED : redact(item, depth + 1);
  }
  return out;
}
