import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { methodNames } from '../../../preload/contract';
import { dispatch, StationError, type Handlers } from '../../../main/core/rpc/dispatch';
import { createStation } from '../../../main/core/station/createStation';
import { unusedHandlers } from '../support/unusedHandlers';

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  return {
    ...unusedHandlers(),
    queryWorklist: vi.fn(() => Promise.resolve({ items: [], source: 'DEMO', demo: true })),
    ...overrides,
  };
}

describe('dispatch', () => {
  it('the station implements every contract method, and nothing else', async () => {
    const home = mkdtempSync(join(tmpdir(), 'cs-dispatch-'));
    const station = createStation({ env: { CAPTURE_STATION_HOME: home } });
    expect(Object.keys(station.handlers).sort()).toEqual([...methodNames].sort());
    await station.close();
  });

  it('refuses a payload the contract does not allow, before the handler runs', async () => {
    const h = handlers();
    const result = await dispatch(h, 'queryWorklist', { date: '2026-11-28', extra: 1 });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    expect(h.queryWorklist).not.toHaveBeenCalled();
  });

  it('passes a valid payload through and wraps the value', async () => {
    const h = handlers();
    const result = await dispatch(h, 'queryWorklist', { date: '20261128-20261130', text: 'doe' });
    expect(result).toEqual({ ok: true, value: { items: [], source: 'DEMO', demo: true } });
    expect(h.queryWorklist).toHaveBeenCalledWith({ date: '20261128-20261130', text: 'doe' });
  });

  it('refuses unknown and inherited names', async () => {
    expect(await dispatch(handlers(), 'constructor', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown-method' },
    });
    expect(await dispatch(handlers(), 'toString', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown-method' },
    });
  });

  it('turns a StationError into its message and an unexpected error into "failed", reporting it', async () => {
    const h = handlers({
      queryWorklist: () => Promise.reject(new StationError('WL1 refused CAPTURE1', 'unavailable')),
    });
    expect(await dispatch(h, 'queryWorklist', {})).toEqual({
      ok: false,
      error: { code: 'unavailable', message: 'WL1 refused CAPTURE1' },
    });
    const onUnexpected = vi.fn();
    const crash = handlers({ queryWorklist: () => Promise.reject(new TypeError('boom')) });
    expect(await dispatch(crash, 'queryWorklist', {}, onUnexpected)).toMatchObject({
      ok: false,
      error: { code: 'failed' },
    });
    expect(onUnexpected).toHaveBeenCalledOnce();
  });
});
