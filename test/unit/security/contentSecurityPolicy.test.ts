import { describe, expect, it } from 'vitest';
import { buildContentSecurityPolicy } from '../../../main/core/security/contentSecurityPolicy';

/** Parses "a x y; b z" into { a: ['x','y'], b: ['z'] } so tests read by directive. */
function directives(policy: string): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) result[name] = sources;
  }
  return result;
}

describe('buildContentSecurityPolicy', () => {
  it("starts from default-src 'none' and opens only what the station needs", () => {
    const policy = buildContentSecurityPolicy();
    expect(policy.startsWith("default-src 'none'")).toBe(true);
    expect(directives(policy)).toEqual({
      'default-src': ["'none'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'img-src': ["'self'", 'blob:', 'data:'],
      'media-src': ["'self'", 'blob:', 'mediastream:'],
      'connect-src': ["'self'"],
      'font-src': ["'self'"],
      'worker-src': ["'self'", 'blob:'],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
      'frame-ancestors': ["'none'"],
    });
  });

  it('never allows inline script or eval', () => {
    const policy = buildContentSecurityPolicy({ connectSources: ['ws://127.0.0.1:*'] });
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  it('adds the browser-mode WebSocket origin to connect-src only', () => {
    const policy = directives(
      buildContentSecurityPolicy({ connectSources: ['ws://127.0.0.1:48123', 'ws://127.0.0.1:*'] }),
    );
    expect(policy['connect-src']).toEqual(["'self'", 'ws://127.0.0.1:48123', 'ws://127.0.0.1:*']);
    expect(policy['script-src']).toEqual(["'self'"]);
  });

  it.each([
    "ws://127.0.0.1:1; script-src 'unsafe-inline'",
    'ws://127.0.0.1:1 https://evil.example',
    'javascript:alert(1)',
    'ws://127.0.0.1:1/path',
    '*',
    '',
  ])('refuses a connect source that is not a bare origin: %j', (source) => {
    expect(() => buildContentSecurityPolicy({ connectSources: [source] })).toThrow(
      /connect-src source/,
    );
  });
});
