import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler, type ProtocolHandler } from '../../../main/app/appProtocol';
import { securityHeaders } from '../../../main/core/security/securityHeaders';

// A renderer folder next to a secret that traversal attempts aim for.
let base: string;
let handle: ProtocolHandler;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'app-protocol-'));
  const root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Capture Station</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1);');
  writeFileSync(join(base, 'secret.txt'), 'outside the renderer');
  writeFileSync(join(base, 'renderer-evil.txt'), 'sibling with the root as prefix');
  handle = createAppProtocolHandler({ root, headers: securityHeaders() });
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => handle(new Request(url, { method }));

describe('app:// protocol handler', () => {
  it('serves index.html at / and by name, with its content type and the CSP', async () => {
    for (const url of ['app://station/', 'app://station/index.html']) {
      const response = await get(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
      expect(await response.text()).toContain('Capture Station');
    }
  });

  it('serves assets with a JavaScript type (module scripts need one)', async () => {
    const response = await get('app://station/assets/app.js?v=1');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it.each([
    'app://station/../secret.txt',
    'app://station/%2e%2e/secret.txt',
    'app://station/..%2fsecret.txt',
    'app://station/..%5csecret.txt',
    'app://station/assets/..%2f..%2fsecret.txt',
    'app://station/%2e%2e%2f%2e%2e%2fsecret.txt',
    'app://station/..%2frenderer-evil.txt',
    'app://station/%2fetc%2fpasswd',
    'app://station/index.html%00.js',
    'app://station/%E0%A4%A',
  ])('refuses %s with a 404 that still carries the CSP', async (url) => {
    const response = await get(url);
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('not found');
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
  });

  it('404s a missing file, a directory, and any host but station', async () => {
    expect((await get('app://station/missing.js')).status).toBe(404);
    expect((await get('app://station/assets/')).status).toBe(404);
    expect((await get('app://other/index.html')).status).toBe(404);
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get('app://station/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await get('app://station/index.html', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
  });
});
