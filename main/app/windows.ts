/**
 * The station's one window, with its security options in one place (STYLE.md: secure windows by
 * default). Every renderer runs sandboxed, context-isolated, without Node; the only bridge is the
 * bundled preload (out/preload/index.cjs), which exposes named contract functions.
 */
import { BrowserWindow, type BrowserWindowConstructorOptions } from 'electron';
import type { Logger } from '../core/log/Logger';

export const WINDOW_TITLE = 'Capture Station';

/**
 * Smallest usable size: the capture view, patient banner and worklist side by side at arm's length
 * on a cart-mounted screen (1024×768 class panels, minus the OS's panel and title bar).
 */
export const MIN_WIDTH = 1024;
export const MIN_HEIGHT = 700;

export interface MainWindowOptions {
  /** Absolute path of the bundled sandboxed preload. */
  readonly preloadPath: string;
  /** DevTools are for development; a packaged clinical station does not offer them. */
  readonly devTools: boolean;
}

/** The BrowserWindow options, as data, so a test can assert every security switch. */
export function mainWindowOptions(options: MainWindowOptions): BrowserWindowConstructorOptions {
  return {
    title: WINDOW_TITLE,
    width: 1280,
    height: 800,
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    // Shown on 'ready-to-show' so the user never sees a blank white frame.
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: options.devTools,
    },
  };
}

/**
 * Creates the window and loads `url` (an app:// URL). Shows it when its first paint is ready; if
 * the page cannot load, logs why and shows the window anyway, so a broken install is visible
 * rather than an app that seems not to start. A crashed renderer is logged.
 */
export function createMainWindow(
  options: MainWindowOptions & { readonly url: string; readonly log: Logger },
): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(options));
  window.once('ready-to-show', () => window.show());
  window.webContents.on('render-process-gone', (_event, details) => {
    options.log.error('the station page crashed', {
      reason: details.reason,
      exitCode: details.exitCode,
    });
  });
  window.loadURL(options.url).catch((error: unknown) => {
    options.log.error('could not load the station page', {
      url: options.url,
      error: String(error),
    });
    if (!window.isDestroyed()) window.show();
  });
  return window;
}
