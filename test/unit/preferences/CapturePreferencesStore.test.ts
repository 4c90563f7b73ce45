import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CapturePreferencesStore,
  capturePreferencesFile,
} from '../../../main/core/preferences/CapturePreferencesStore';
import { sourcesHandlers } from '../../../main/core/station/features/sourcesHandlers';
import type { StationParts } from '../../../main/core/station/parts';
import { dispatch, type Handlers } from '../../../main/core/rpc/dispatch';
import type { CapturePreferences } from '../../../preload/features/sources';

const SCOPE = { deviceId: 'abc123', label: 'Olympus CV-190 (capture card)' };
const FULL_HD = { width: 1920, height: 1080, frameRate: 30 };

function readJson(file: string): CapturePreferences {
  return JSON.parse(readFileSync(file, 'utf8')) as CapturePreferences;
}

describe('CapturePreferencesStore', () => {
  let folder: string;
  let file: string;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'cs-prefs-'));
    file = capturePreferencesFile(folder);
  });

  it('starts empty when there is no file, and writes none until something is chosen', async () => {
    const store = new CapturePreferencesStore(file);
    expect(await store.load()).toEqual({ preferences: {} });
    expect(readdirSync(folder)).toEqual([]);
  });

  it('saves the choice as versioned JSON that a new store (a restarted station) reads back', async () => {
    await new CapturePreferencesStore(file).set({ source: SCOPE, format: FULL_HD });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      version: 1,
      source: SCOPE,
      format: FULL_HD,
    });
    const reopened = new CapturePreferencesStore(file);
    expect(await reopened.load()).toEqual({ preferences: { source: SCOPE, format: FULL_HD } });
    expect(reopened.get()).toEqual({ source: SCOPE, format: FULL_HD });
  });

  it('writes through a temporary file renamed into place, leaving no temporary behind', async () => {
    const store = new CapturePreferencesStore(file);
    const saves = [1, 2, 3, 4, 5].map((n) =>
      store.set({ source: SCOPE, format: { ...FULL_HD, frameRate: n } }),
    );
    await Promise.all(saves);
    expect(readdirSync(dirname(file))).toEqual(['capture.json']);
    // Saves run in order: the file holds the last choice, not whichever write finished last.
    expect(readJson(file).format?.frameRate).toBe(5);
  });

  it('keeps the previous choice in force when a write fails, and says why', async () => {
    const good = new CapturePreferencesStore(file);
    await good.set({ source: SCOPE });
    let calls = 0;
    const failing = new CapturePreferencesStore(file, {
      write: () => {
        calls++;
        return Promise.reject(new Error('ENOSPC: no space left on device'));
      },
    });
    await expect(failing.set({ source: { deviceId: 'other', label: 'Webcam' } })).rejects.toThrow(
      'ENOSPC',
    );
    expect(calls).toBe(1);
    expect(failing.get()).toEqual({ source: SCOPE });
    expect(readJson(file).source).toEqual(SCOPE);
    // A failed save does not block the next one.
    const recovered = new CapturePreferencesStore(file);
    await recovered.set({ format: FULL_HD });
    expect(recovered.get()).toEqual({ format: FULL_HD });
  });

  it('refuses bad input with one error naming the field and the reason, and writes nothing', async () => {
    const store = new CapturePreferencesStore(file);
    await expect(
      store.set({ format: { width: 1920, height: 1080, frameRate: 0 } }),
    ).rejects.toThrow(/^field "format\.frameRate": .*>=1/);
    await expect(store.set({ source: { deviceId: '', label: 'x' } })).rejects.toThrow(
      /^field "source\.deviceId"/,
    );
    await expect(store.set({ colour: 'blue' })).rejects.toThrow(/colour/);
    expect(readdirSync(folder)).toEqual([]);
  });

  it.each([
    ['not JSON', '{"version": 1, "source": ', /capture\.json: not valid JSON; using defaults$/],
    [
      'the wrong shape',
      JSON.stringify({ version: 1, format: { width: 'wide', height: 1080, frameRate: 30 } }),
      /capture\.json: field "format\.width": .*number.*; using defaults$/,
    ],
    [
      'another version',
      JSON.stringify({ version: 2, source: SCOPE }),
      /capture\.json: field "version"/,
    ],
  ])('ignores a file that is %s, naming the file and the reason', async (_what, text, problem) => {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    const store = new CapturePreferencesStore(file);
    const loaded = await store.load();
    expect(loaded.preferences).toEqual({});
    expect(loaded.problem).toMatch(problem);
    expect(loaded.problem).toContain(file);
    // The next choice replaces the damaged file with a good one.
    await store.set({ source: SCOPE });
    expect(await new CapturePreferencesStore(file).load()).toEqual({
      preferences: { source: SCOPE },
    });
  });
});

describe('sources contract methods', () => {
  let folder: string;
  let warnings: unknown[];
  let handlers: Handlers;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'cs-prefs-h-'));
    warnings = [];
    const parts = {
      dataFolder: folder,
      log: { info() {}, warn: (...args: unknown[]) => warnings.push(args), error() {} },
    } as unknown as StationParts;
    handlers = sourcesHandlers(parts) as unknown as Handlers;
  });
  afterEach(() => {
    warnings = [];
  });

  it('round-trips a choice through the contract, validated before the store sees it', async () => {
    const set = await dispatch(handlers, 'setCapturePreferences', {
      source: SCOPE,
      format: FULL_HD,
    });
    expect(set).toEqual({ ok: true, value: { source: SCOPE, format: FULL_HD } });
    expect(await dispatch(handlers, 'getCapturePreferences', undefined)).toEqual({
      ok: true,
      value: { source: SCOPE, format: FULL_HD },
    });
    const bad = await dispatch(handlers, 'setCapturePreferences', {
      format: { width: 1920, height: 1080, frameRate: 1000 },
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    expect(bad.ok ? '' : bad.error.message).toMatch(/"format\.frameRate"/);
  });

  it('logs a damaged file once and answers with the defaults', async () => {
    mkdirSync(join(folder, 'preferences'));
    writeFileSync(capturePreferencesFile(folder), 'garbage');
    expect(await dispatch(handlers, 'getCapturePreferences', undefined)).toEqual({
      ok: true,
      value: {},
    });
    await dispatch(handlers, 'getCapturePreferences', undefined);
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0])).toContain('not valid JSON');
  });
});
