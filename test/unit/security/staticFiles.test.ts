import { join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentTypeOf, resolveStaticFile } from '../../../main/core/security/staticFiles';
import { securityHeaders } from '../../../main/core/security/securityHeaders';

const root = resolve('/srv/renderer');

describe('resolveStaticFile', () => {
  it('maps URL paths to files under the root; / is index.html', () => {
    expect(resolveStaticFile(root, '/')).toBe(join(root, 'index.html'));
    expect(resolveStaticFile(root, '')).toBe(join(root, 'index.html'));
    expect(resolveStaticFile(root, '/assets/index-3z9G.js')).toBe(
      join(root, 'assets/index-3z9G.js'),
    );
    expect(resolveStaticFile(root, '/a%20b.png')).toBe(join(root, 'a b.png'));
    expect(resolveStaticFile(root, '/assets/../index.html')).toBe(join(root, 'index.html'));
  });

  it.each([
    '/../secret',
    '/..%2fsecret',
    '/%2e%2e/secret',
    '/assets/../../secret',
    '/..',
    '/../renderer-evil/x',
    '/index.html%00.js',
    '/%E0%A4%A',
  ])('refuses %s', (path) => {
    expect(resolveStaticFile(root, path)).toBeUndefined();
  });

  it('never leaves the root with a backslash (a file name on POSIX, a separator on Windows)', () => {
    const file = resolveStaticFile(root, '/..%5csecret');
    if (file !== undefined) expect(file.startsWith(root + sep)).toBe(true);
  });

  it('keeps an absolute-looking path under the root', () => {
    expect(resolveStaticFile(root, '//etc/passwd')).toBe(join(root, 'etc/passwd'));
    expect(resolveStaticFile(root, '/%2fetc%2fpasswd')).toBe(join(root, 'etc/passwd'));
  });
});

describe('contentTypeOf', () => {
  it('types what the renderer build contains', () => {
    expect(contentTypeOf('a/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeOf('a/x.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('a/ffmpeg-core.wasm')).toBe('application/wasm');
    expect(contentTypeOf('a/unknown.bin')).toBe('application/octet-stream');
  });
});

describe('securityHeaders', () => {
  it('always carries the CSP, nosniff, no referrer and an isolated opener', () => {
    const headers = securityHeaders({ connectSources: ['ws://127.0.0.1:48123'] });
    expect(headers['content-security-policy']).toContain("connect-src 'self' ws://127.0.0.1:48123");
    expect(headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'x-frame-options': 'DENY',
    });
  });
});
