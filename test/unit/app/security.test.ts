import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App, Session, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { fakeLogger, fakeNavigationEvent } from './fakes';

const fake = vi.hoisted(() => ({
  protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
}));
vi.mock('electron', () => ({ protocol: fake.protocol }));

import {
  hardenAllWebContents,
  hardenWebContents,
  installPermissionHandlers,
  registerAppScheme,
  serveApp,
} from '../../../main/app/security';

type RequestHandler = Parameters<Session['setPermissionRequestHandler']>[0] & {};
type CheckHandler = Parameters<Session['setPermissionCheckHandler']>[0] & {};

/** A session that keeps the handlers installed on it, to call them as Electron would. */
function fakeSession() {
  const installed: { request?: RequestHandler; check?: CheckHandler } = {};
  const session = {
    setPermissionRequestHandler: (handler: RequestHandler | null) => {
      installed.request = handler ?? undefined;
    },
    setPermissionCheckHandler: (handler: CheckHandler | null) => {
      installed.check = handler ?? undefined;
    },
  };
  installPermissionHandlers(session, fakeLogger());
  const contents = {} as WebContents;
  return {
    request(permission: Parameters<RequestHandler>[1], details: Parameters<RequestHandler>[3]) {
      let granted: boolean | undefined;
      installed.request?.(contents, permission, (value) => (granted = value), details);
      return granted;
    },
    check(
      permission: Parameters<CheckHandler>[1],
      origin: string,
      details: Partial<Parameters<CheckHandler>[3]> = {},
    ) {
      return installed.check?.(contents, permission, origin, { isMainFrame: true, ...details });
    },
  };
}

/** A WebContents stand-in: an EventEmitter plus the window-open handler it was given. */
function fakeContents() {
  const emitter = new EventEmitter();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = Object.assign(emitter, {
    setWindowOpenHandler: (handler: typeof openHandler) => (openHandler = handler),
    open: (url: string) => openHandler?.({ url }),
  });
  return contents;
}

describe('registerAppScheme', () => {
  it('makes app:// a standard, secure (getUserMedia needs it), fetchable scheme', () => {
    registerAppScheme();
    expect(fake.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      {
        scheme: 'app',
        privileges: expect.objectContaining({
          standard: true,
          secure: true,
          supportFetchAPI: true,
        }) as unknown,
      },
    ]);
    const [[schemes]] = fake.protocol.registerSchemesAsPrivileged.mock.calls as [[unknown]];
    expect(JSON.stringify(schemes)).not.toContain('bypassCSP');
  });
});

describe('serveApp', () => {
  it('handles app:// with a handler that adds the CSP and refuses traversal', async () => {
    const root = mkdtempSync(join(tmpdir(), 'serve-app-'));
    writeFileSync(join(root, 'index.html'), '<!doctype html>');
    try {
      serveApp(root);
      const [scheme, handler] = fake.protocol.handle.mock.calls[0] as [
        string,
        (request: Request) => Promise<Response>,
      ];
      expect(scheme).toBe('app');
      const page = await handler(new Request('app://station/index.html'));
      expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
      expect((await handler(new Request('app://station/..%2f..%2fetc%2fpasswd'))).status).toBe(404);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('permission handlers', () => {
  const app = 'app://station/index.html';

  it('grant camera and microphone to the app page', () => {
    const session = fakeSession();
    const details = { isMainFrame: true, requestingUrl: app, securityOrigin: 'app://station' };
    expect(session.request('media', { ...details, mediaTypes: ['video'] })).toBe(true);
    expect(session.request('media', { ...details, mediaTypes: ['video', 'audio'] })).toBe(true);
    expect(session.check('media', 'app://station', { mediaType: 'video' })).toBe(true);
  });

  it('deny media to any other origin, even if only the security origin is foreign', () => {
    const session = fakeSession();
    const foreign = 'https://evil.example/';
    expect(session.request('media', { isMainFrame: true, requestingUrl: foreign })).toBe(false);
    expect(
      session.request('media', {
        isMainFrame: false,
        requestingUrl: app,
        securityOrigin: 'https://evil.example',
        mediaTypes: ['video'],
      }),
    ).toBe(false);
    expect(session.check('media', 'https://evil.example', { mediaType: 'video' })).toBe(false);
    expect(session.check('media', 'file://', { mediaType: 'video' })).toBe(false);
  });

  it('deny every other permission to the app page itself', () => {
    const session = fakeSession();
    for (const permission of [
      'geolocation',
      'notifications',
      'display-capture',
      'hid',
      'clipboard-read',
    ] as const) {
      expect(session.request(permission, { isMainFrame: true, requestingUrl: app })).toBe(false);
      expect(session.check(permission, 'app://station')).toBe(false);
    }
  });

  it('deny media types other than video and audio', () => {
    const session = fakeSession();
    expect(session.check('media', 'app://station', { mediaType: 'unknown' })).toBe(false);
  });
});

describe('hardenWebContents', () => {
  function hardened() {
    const contents = fakeContents();
    const log = fakeLogger();
    hardenWebContents(contents as unknown as WebContents, log);
    return { contents, log };
  }

  it('cancels navigation and redirects away from the app origin', () => {
    const { contents, log } = hardened();
    for (const kind of ['will-navigate', 'will-redirect']) {
      for (const url of ['https://evil.example/', 'file:///etc/passwd', 'app://other/']) {
        const event = fakeNavigationEvent(url);
        contents.emit(kind, event);
        expect(event.prevented).toBe(true);
      }
    }
    expect(log.warn).toHaveBeenCalled();
  });

  it('lets the app navigate within its own origin', () => {
    const { contents } = hardened();
    const event = fakeNavigationEvent('app://station/index.html#/capture');
    contents.emit('will-navigate', event);
    expect(event.prevented).toBe(false);
  });

  it('denies window.open and <webview>', () => {
    const { contents } = hardened();
    expect(contents.open('https://evil.example/')).toEqual({ action: 'deny' });
    expect(contents.open('app://station/index.html')).toEqual({ action: 'deny' });
    const attach = fakeNavigationEvent('');
    contents.emit('will-attach-webview', attach);
    expect(attach.prevented).toBe(true);
  });

  it('is applied to every WebContents the app creates', () => {
    const app = new EventEmitter();
    hardenAllWebContents(app as unknown as App, fakeLogger());
    const contents = fakeContents();
    app.emit('web-contents-created', {}, contents);
    const event = fakeNavigationEvent('https://evil.example/');
    contents.emit('will-navigate', event);
    expect(event.prevented).toBe(true);
    expect(contents.open('https://evil.example/')).toEqual({ action: 'deny' });
  });
});
