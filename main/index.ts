/**
 * Electron entry: wiring only. Every rule lives in main/app (Electron shell) or main/core (the
 * station); this file decides the order, which matters:
 * - before ready: the privileged app:// scheme, sandbox for every renderer, and userData pointed at
 *   the station's data folder (Electron only accepts these then), so app, CLI and browser mode
 *   share one folder;
 * - at ready: the station's core first. A bad configuration stops here with one dialog naming the
 *   field, before any window or handler exists: the station never runs half-configured;
 * - then the session policy, the app:// files, IPC, and finally the one window.
 */
import { join } from 'node:path';
import { app, dialog, safeStorage, session, type BrowserWindow } from 'electron';
import { resolveDataFolder } from './core/config/dataFolder';
import { ConfigError } from './core/config/loadConfig';
import { createStation, type Station } from './core/station/createStation';
import { appUrl } from './app/appOrigin';
import { createEventForwarder, registerIpc } from './app/ipc';
import { closeBeforeQuit, warnBeforeClosingWithUnsent } from './app/lifecycle';
import { trackRecordings } from './app/recordingActivity';
import { sealedSecretSource, sealSecretFromCommandLine } from './app/sealedSecrets';
import {
  hardenAllWebContents,
  installPermissionHandlers,
  registerAppScheme,
  serveApp,
} from './app/security';
import { createMainWindow, WINDOW_TITLE } from './app/windows';

registerAppScheme();
app.enableSandbox();
app.setPath('userData', resolveDataFolder());

const secretsFolder = join(resolveDataFolder(), 'secrets');
if (sealSecretFromCommandLine(process.argv, app, safeStorage, secretsFolder)) {
  // IT sealing a secret: no window, no station.
} else if (app.requestSingleInstanceLock()) {
  void app.whenReady().then(start);
} else {
  // One station per workstation: the running one is focused through 'second-instance'.
  app.quit();
}

function start(): void {
  const station = openStation();
  if (!station) return;
  const { log } = station;
  const appPath = app.getAppPath();

  hardenAllWebContents(app, log);
  installPermissionHandlers(session.defaultSession, log);
  serveApp(join(appPath, 'out', 'renderer'));
  // The close warning must see recordings open or being finished, which core does not count.
  const recordings = trackRecordings(station.handlers);
  registerIpc(recordings.handlers, log);

  let mainWindow: BrowserWindow | undefined = createMainWindow({
    preloadPath: join(appPath, 'out', 'preload', 'index.cjs'),
    devTools: !app.isPackaged,
    url: appUrl('index.html'),
    log,
  });
  mainWindow.on('closed', () => (mainWindow = undefined));
  const windowForDialog = mainWindow;
  warnBeforeClosingWithUnsent(
    mainWindow,
    async () => ({
      unsent: (await station.handlers.getOutboxStatus(undefined)).unsent,
      inReview: (await station.handlers.listReview(undefined)).length,
      ...recordings.activity(),
    }),
    { showMessageBox: (options) => dialog.showMessageBox(windowForDialog, options) },
  );
  station.onEvent(createEventForwarder(() => mainWindow?.webContents, log));

  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  app.on('window-all-closed', () => app.quit());
  closeBeforeQuit(app, () => station.close(), log);
}

/** The station's core, or undefined after telling the user why it cannot start and exiting. */
function openStation(): Station | undefined {
  try {
    // Secrets named in the configuration are sealed with the OS keychain (safeStorage).
    const secrets = sealedSecretSource(safeStorage, secretsFolder);
    return createStation({ hid: 'node-hid', secrets });
  } catch (error) {
    const message =
      error instanceof ConfigError
        ? error.message
        : `The station could not start: ${error instanceof Error ? error.message : String(error)}`;
    dialog.showErrorBox(`${WINDOW_TITLE} cannot start`, message);
    app.exit(1);
    return undefined;
  }
}
