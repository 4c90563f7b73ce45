import { EventEmitter } from 'node:events';
import type { App } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { closeBeforeQuit } from '../../../main/app/lifecycle';
import { fakeLogger, fakeNavigationEvent } from './fakes';

function fakeApp() {
  const emitter = new EventEmitter();
  const quit = vi.fn();
  return Object.assign(emitter, { quit });
}

const willQuit = (app: EventEmitter) => {
  const event = fakeNavigationEvent('');
  app.emit('will-quit', event);
  return event;
};

describe('closeBeforeQuit', () => {
  it('holds the first quit until the station has closed, then quits', async () => {
    const app = fakeApp();
    let finish = (): void => {};
    const close = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    closeBeforeQuit(app as unknown as App, close, fakeLogger());

    expect(willQuit(app).prevented).toBe(true);
    expect(willQuit(app).prevented).toBe(true); // a second quit while closing waits too
    expect(close).toHaveBeenCalledTimes(1);
    expect(app.quit).not.toHaveBeenCalled();

    finish();
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalledTimes(1));
    expect(willQuit(app).prevented).toBe(false);
  });

  it('still quits, and logs, when closing fails', async () => {
    const app = fakeApp();
    const log = fakeLogger();
    closeBeforeQuit(app as unknown as App, () => Promise.reject(new Error('busy')), log);
    willQuit(app);
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalled());
    expect(log.error).toHaveBeenCalledWith('station did not close cleanly', {
      error: 'Error: busy',
    });
  });
});
