import { describe, expect, it, vi } from 'vitest';
import { fakeLogger } from './fakes';

// A BrowserWindow stand-in: records its options, emits events on demand, and loads nothing.
const fake = vi.hoisted(() => {
  class FakeWindow {
    static last: FakeWindow | undefined;
    static failLoad = false;
    readonly events = new Map<string, () => void>();
    readonly webContents = { on: vi.fn() };
    readonly show = vi.fn();
    readonly loadURL = vi.fn(() =>
      FakeWindow.failLoad ? Promise.reject(new Error('ERR_FILE_NOT_FOUND')) : Promise.resolve(),
    );
    constructor(readonly options: unknown) {
      FakeWindow.last = this;
    }
    once(name: string, listener: () => void) {
      this.events.set(name, listener);
    }
    isDestroyed() {
      return false;
    }
  }
  return { FakeWindow };
});
vi.mock('electron', () => ({ BrowserWindow: fake.FakeWindow }));

import {
  MIN_HEIGHT,
  MIN_WIDTH,
  createMainWindow,
  mainWindowOptions,
} from '../../../main/app/windows';

describe('mainWindowOptions', () => {
  const options = mainWindowOptions({ preloadPath: '/app/out/preload/index.cjs', devTools: false });

  it('isolates, sandboxes and strips Node from the renderer', () => {
    expect(options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: false,
    });
  });

  it('loads the bundled CommonJS preload and nothing else', () => {
    expect(options.webPreferences?.preload).toBe('/app/out/preload/index.cjs');
  });

  it('waits for the first paint and keeps a cart-screen minimum size', () => {
    expect(options.show).toBe(false);
    expect(options.title).toBe('Capture Station');
    expect(options.minWidth).toBe(MIN_WIDTH);
    expect(options.minHeight).toBe(MIN_HEIGHT);
    expect(MIN_WIDTH).toBeGreaterThanOrEqual(1024);
  });
});

describe('createMainWindow', () => {
  const url = 'app://station/index.html';

  it('loads the app URL and shows the window once ready to show', () => {
    createMainWindow({ preloadPath: '/p.cjs', devTools: true, url, log: fakeLogger() });
    const window = fake.FakeWindow.last;
    expect(window?.loadURL).toHaveBeenCalledWith(url);
    expect(window?.show).not.toHaveBeenCalled();
    window?.events.get('ready-to-show')?.();
    expect(window?.show).toHaveBeenCalledTimes(1);
  });

  it('logs a page that cannot load and still shows the window', async () => {
    fake.FakeWindow.failLoad = true;
    const log = fakeLogger();
    createMainWindow({ preloadPath: '/p.cjs', devTools: true, url, log });
    await vi.waitFor(() => expect(fake.FakeWindow.last?.show).toHaveBeenCalled());
    expect(log.error).toHaveBeenCalledWith(
      'could not load the station page',
      expect.objectContaining({ url }),
    );
    fake.FakeWindow.failLoad = false;
  });
});
