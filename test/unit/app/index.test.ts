/**
 * The Electron entry's wiring, run in plain Node: `electron` and core's createStation are fakes, so
 * this proves the order and the refusals of main/index.ts, not Electron or core behaviour.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { methodChannel, methodNames } from '../../../preload/contract';
import { fakeLogger } from './fakes';

const fake = vi.hoisted(() => {
  const calls: string[] = [];
  const record =
    (name: string, result?: unknown) =>
    (..._args: unknown[]) => {
      calls.push(name);
      return result;
    };
  const state = { lock: true, createStation: (): unknown => undefined };
  class FakeWindow {
    static created: FakeWindow[] = [];
    readonly webContents = { on: () => undefined, isDestroyed: () => false, send: () => {} };
    constructor(readonly options: unknown) {
      calls.push('new BrowserWindow');
      FakeWindow.created.push(this);
    }
    once() {}
    on() {}
    loadURL = vi.fn(() => Promise.resolve());
    isDestroyed = () => false;
  }
  const electron = {
    app: {
      isPackaged: false,
      enableSandbox: vi.fn(record('enableSandbox')),
      setPath: vi.fn(record('setPath')),
      requestSingleInstanceLock: vi.fn(() => state.lock),
      whenReady: vi.fn(() => {
        calls.push('whenReady');
        return Promise.resolve();
      }),
      getAppPath: () => '/opt/capture-station/app.asar',
      on: vi.fn(),
      quit: vi.fn(record('quit')),
      exit: vi.fn(record('exit')),
    },
    dialog: { showErrorBox: vi.fn(record('showErrorBox')) },
    safeStorage: { isEncryptionAvailable: () => false },
    protocol: {
      registerSchemesAsPrivileged: vi.fn(record('registerSchemesAsPrivileged')),
      handle: vi.fn(record('protocol.handle')),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: vi.fn(record('setPermissionRequestHandler')),
        setPermissionCheckHandler: vi.fn(record('setPermissionCheckHandler')),
      },
    },
    ipcMain: { handle: vi.fn(record('ipcMain.handle')), removeHandler: vi.fn() },
    BrowserWindow: FakeWindow,
  };
  return { calls, state, electron, FakeWindow };
});
vi.mock('electron', () => fake.electron);
vi.mock('../../../main/core/station/createStation', () => ({
  createStation: () => fake.state.createStation(),
}));

function fakeStation() {
  return {
    handlers: {},
    log: fakeLogger(),
    dataFolder: '/data',
    onEvent: vi.fn(() => () => {}),
    close: vi.fn(() => Promise.resolve()),
  };
}

type ConfigModule = typeof import('../../../main/core/config/loadConfig');

/** Runs the entry afresh; `before` sees this run's module instances (ConfigError identity). */
async function runEntry(before: (config: ConfigModule) => void = () => {}): Promise<void> {
  vi.resetModules();
  before(await import('../../../main/core/config/loadConfig'));
  await import('../../../main/index');
  await new Promise((resolve) => setImmediate(resolve));
}

beforeEach(() => {
  fake.calls.length = 0;
  fake.FakeWindow.created.length = 0;
  fake.state.lock = true;
  vi.clearAllMocks();
});

describe('main/index.ts', () => {
  it('does the before-ready work first, then starts core, the policy, IPC and one window', async () => {
    const station = fakeStation();
    fake.state.createStation = () => {
      fake.calls.push('createStation');
      return station;
    };
    vi.stubEnv('CAPTURE_STATION_HOME', '/srv/station-data');
    await runEntry();
    vi.unstubAllEnvs();

    const order = (name: string) => fake.calls.indexOf(name);
    expect(order('registerSchemesAsPrivileged')).toBeLessThan(order('whenReady'));
    expect(order('setPath')).toBeLessThan(order('whenReady'));
    expect(fake.electron.app.setPath).toHaveBeenCalledWith('userData', '/srv/station-data');
    expect(order('createStation')).toBeGreaterThan(order('whenReady'));
    expect(order('setPermissionRequestHandler')).toBeLessThan(order('new BrowserWindow'));
    expect(order('protocol.handle')).toBeLessThan(order('new BrowserWindow'));
    expect(order('ipcMain.handle')).toBeLessThan(order('new BrowserWindow'));

    const channels = fake.electron.ipcMain.handle.mock.calls.map((call: unknown[]) => call[0]);
    expect(channels.sort()).toEqual(methodNames.map(methodChannel).sort());
    expect(fake.FakeWindow.created).toHaveLength(1);
    expect(fake.FakeWindow.created[0]?.loadURL).toHaveBeenCalledWith('app://station/index.html');
    expect(fake.FakeWindow.created[0]?.options).toMatchObject({
      webPreferences: { preload: '/opt/capture-station/app.asar/out/preload/index.cjs' },
    });
    expect(station.onEvent).toHaveBeenCalledTimes(1);
    const events = fake.electron.app.on.mock.calls.map((call: unknown[]) => call[0]);
    expect(events).toEqual(
      expect.arrayContaining(['web-contents-created', 'window-all-closed', 'will-quit']),
    );
  });

  it('on a bad configuration shows the message, exits non-zero and opens nothing', async () => {
    await runEntry(({ ConfigError }) => {
      fake.state.createStation = () => {
        throw new ConfigError('config.json: field "station.aeTitle": Too big: expected at most 16');
      };
    });

    expect(fake.electron.dialog.showErrorBox).toHaveBeenCalledWith(
      'Capture Station cannot start',
      'config.json: field "station.aeTitle": Too big: expected at most 16',
    );
    expect(fake.electron.app.exit).toHaveBeenCalledWith(1);
    expect(fake.FakeWindow.created).toHaveLength(0);
    expect(fake.electron.ipcMain.handle).not.toHaveBeenCalled();
    expect(fake.electron.protocol.handle).not.toHaveBeenCalled();
  });

  it('treats any other startup failure the same way: message, exit 1, nothing opened', async () => {
    fake.state.createStation = () => {
      throw new Error('EACCES: permission denied, mkdir /data/logs');
    };
    await runEntry();

    expect(fake.electron.dialog.showErrorBox).toHaveBeenCalledWith(
      'Capture Station cannot start',
      'The station could not start: EACCES: permission denied, mkdir /data/logs',
    );
    expect(fake.electron.app.exit).toHaveBeenCalledWith(1);
    expect(fake.FakeWindow.created).toHaveLength(0);
  });

  it('quits at once when another station already holds the single-instance lock', async () => {
    fake.state.lock = false;
    fake.state.createStation = () => fakeStation();
    await runEntry();

    expect(fake.electron.app.quit).toHaveBeenCalled();
    expect(fake.electron.app.whenReady).not.toHaveBeenCalled();
    expect(fake.FakeWindow.created).toHaveLength(0);
  });
});
