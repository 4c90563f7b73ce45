import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  eventChannel,
  methodChannel,
  methodNames,
  type CallResult,
  type StationInfo,
} from '../../../preload/contract';
import type { Handlers } from '../../../main/core/rpc/dispatch';
import { createEventForwarder, registerIpc } from '../../../main/app/ipc';
import { fakeLogger } from './fakes';
import { unusedHandlers } from '../support/unusedHandlers';

type InvokeHandler = (event: unknown, payload: unknown) => Promise<CallResult<unknown>>;

// The real `electron` module cannot load in plain Node (it tries to download the binary), so the
// test replaces it with an ipcMain that records what is registered.
const fake = vi.hoisted(() => {
  const registered = new Map<string, InvokeHandler>();
  return {
    registered,
    ipcMain: {
      handle: vi.fn((channel: string, handler: InvokeHandler) => {
        if (registered.has(channel)) throw new Error(`second handler for ${channel}`);
        registered.set(channel, handler);
      }),
      removeHandler: vi.fn((channel: string) => registered.delete(channel)),
    },
  };
});
vi.mock('electron', () => ({ ipcMain: fake.ipcMain }));

const APP_SENDER = { senderFrame: { url: 'app://station/index.html' } };
const INFO: StationInfo = {
  name: 'Endo room 2',
  aeTitle: 'CAPTURE1',
  institution: '',
  department: 'endoscopy',
  version: '0.1.0',
  demoWorklist: true,
  demoDestination: true,
  destinations: [],
  dataFolder: '/tmp/station',
  scanner: { prefix: '', suffix: '', idPattern: '^.+$', maxKeyIntervalMs: 35 },
};

function fakeHandlers() {
  return {
    ...unusedHandlers(),
    getStationInfo: vi.fn(() => Promise.resolve(INFO)),
    queryWorklist: vi.fn(() => Promise.resolve({ items: [], source: 'DEMO', demo: true })),
  } satisfies Handlers;
}

function invoke(method: string, payload: unknown, event: unknown = APP_SENDER) {
  const handler = fake.registered.get(`station:${method}`);
  if (!handler) throw new Error(`nothing registered for ${method}`);
  return handler(event, payload);
}

describe('registerIpc', () => {
  let handlers: ReturnType<typeof fakeHandlers>;
  let log: ReturnType<typeof fakeLogger>;
  let unregister: () => void;

  beforeEach(() => {
    fake.registered.clear();
    handlers = fakeHandlers();
    log = fakeLogger();
    unregister = registerIpc(handlers, log);
  });

  it('registers exactly one handler per contract method, on its contract channel', () => {
    expect([...fake.registered.keys()].sort()).toEqual(methodNames.map(methodChannel).sort());
    expect(fake.ipcMain.handle).toHaveBeenCalledTimes(methodNames.length);
  });

  it('answers a valid call with the handler value', async () => {
    await expect(invoke('getStationInfo', undefined)).resolves.toEqual({ ok: true, value: INFO });
    await expect(invoke('queryWorklist', { text: 'Doe' })).resolves.toMatchObject({ ok: true });
    expect(handlers.queryWorklist).toHaveBeenCalledWith({ text: 'Doe' });
  });

  it.each([
    ['queryWorklist', { text: 42 }],
    ['queryWorklist', { date: 'yesterday' }],
    ['queryWorklist', { text: 'Doe', extra: true }],
    ['queryWorklist', 'Doe'],
    ['getStationInfo', { anything: 1 }],
  ])('refuses a bad payload for %s (%j) without calling core', async (method, payload) => {
    const result = await invoke(method, payload);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    expect(handlers.queryWorklist).not.toHaveBeenCalled();
    expect(handlers.getStationInfo).not.toHaveBeenCalled();
  });

  it.each(methodNames)(
    'validates %s before core sees it (a number is no valid payload)',
    async (method) => {
      const spies = Object.fromEntries(methodNames.map((name) => [name, vi.fn()]));
      fake.registered.clear();
      registerIpc(spies as unknown as Handlers, log);
      const result = await invoke(method, 42);
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
      expect(spies[method]).not.toHaveBeenCalled();
    },
  );

  it.each([
    ['a web page', { senderFrame: { url: 'https://evil.example/' } }],
    ['another app host', { senderFrame: { url: 'app://other/index.html' } }],
    ['a file page', { senderFrame: { url: 'file:///work/main/out/renderer/index.html' } }],
    ['a destroyed frame', { senderFrame: null }],
  ])('refuses a call from %s before validating or dispatching', async (_what, event) => {
    const result = await invoke('queryWorklist', { text: 'Doe' }, event);
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(handlers.queryWorklist).not.toHaveBeenCalled();
    expect(log.warn).toHaveBeenCalled();
  });

  it('turns a handler crash into a typed error and logs it', async () => {
    handlers.getStationInfo.mockRejectedValueOnce(new Error('disk gone'));
    const result = await invoke('getStationInfo', undefined);
    expect(result).toMatchObject({ ok: false, error: { code: 'failed' } });
    expect(log.error).toHaveBeenCalledWith(
      'contract method failed unexpectedly',
      expect.objectContaining({ method: 'getStationInfo' }),
    );
  });

  it('removes every handler it registered', () => {
    unregister();
    expect(fake.registered.size).toBe(0);
  });
});

describe('createEventForwarder', () => {
  function fakeTarget(destroyed = false) {
    return { isDestroyed: () => destroyed, send: vi.fn() };
  }

  it('sends a valid event on its contract channel', () => {
    const target = fakeTarget();
    const forward = createEventForwarder(() => target, fakeLogger());
    forward('notice', { level: 'info', message: 'saved' });
    expect(target.send).toHaveBeenCalledWith(eventChannel('notice'), {
      level: 'info',
      message: 'saved',
    });
  });

  it('drops and logs a payload that breaks the contract', () => {
    const target = fakeTarget();
    const log = fakeLogger();
    createEventForwarder(() => target, log)('notice', { level: 'loud', message: 'x' });
    expect(target.send).not.toHaveBeenCalled();
    expect(log.warn).toHaveBeenCalled();
  });

  it('drops and logs an event the contract does not name', () => {
    const target = fakeTarget();
    const log = fakeLogger();
    createEventForwarder(() => target, log)('toString', {});
    expect(target.send).not.toHaveBeenCalled();
    expect(log.warn).toHaveBeenCalled();
  });

  it('drops an event when there is no live window', () => {
    const destroyed = fakeTarget(true);
    createEventForwarder(() => destroyed, fakeLogger())('notice', { level: 'info', message: 'x' });
    expect(destroyed.send).not.toHaveBeenCalled();
    expect(() =>
      createEventForwarder(() => undefined, fakeLogger())('notice', {
        level: 'info',
        message: 'x',
      }),
    ).not.toThrow();
  });
});
