import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HidHub } from '../../../main/core/hid/HidHub';
import { ReplayBackend } from '../../../main/core/hid/ReplayBackend';
import { BindingFileError, BindingStore } from '../../../main/core/hid/pedal/BindingStore';
import {
  LearnAbortedError,
  PedalService,
  type PedalPress,
} from '../../../main/core/hid/pedal/PedalService';
import type { HidButton } from '../../../main/core/hid/pedal/buttons';
import { recording } from './replayFixtures';

const VEC = { kind: 'hid', vendorId: 0x05f3, productId: 0x00ff, byteIndex: 0 } as const;
const LEFT: HidButton = { ...VEC, mask: 0x01 };
const MIDDLE: HidButton = { ...VEC, mask: 0x02 };
const RIGHT: HidButton = { ...VEC, mask: 0x04 };

let folder: string;
let hub: HidHub | undefined;

beforeEach(async () => {
  vi.useFakeTimers();
  folder = await mkdtemp(join(tmpdir(), 'pedal-'));
});
afterEach(async () => {
  await hub?.stop();
  hub = undefined;
  vi.useRealTimers();
  await rm(folder, { recursive: true, force: true });
});

async function startPedals(file: string, store: BindingStore): Promise<PedalService> {
  const pedals = new PedalService({ store, now: () => Date.now() });
  hub = new HidHub(new ReplayBackend([recording(file)]), [pedals]);
  await hub.start();
  return pedals;
}

function collect(pedals: PedalService): { action: string; atMs: number }[] {
  const start = Date.now();
  const seen: { action: string; atMs: number }[] = [];
  pedals.on('action', (press: PedalPress) =>
    seen.push({ action: press.action, atMs: Date.now() - start }),
  );
  return seen;
}

describe('PedalService with a recorded VEC Infinity 3-pedal switch', () => {
  it('fires each bound action once per press: no repeat while held, bounce ignored, chords work', async () => {
    const store = new BindingStore(join(folder, 'pedals.json'));
    await store.bind({ button: MIDDLE, action: 'still' });
    await store.bind({ button: LEFT, action: 'video-toggle' });
    await store.bind({ button: RIGHT, action: 'marker' });
    const pedals = await startPedals('vec-infinity-3-pedal.json', store);
    const seen = collect(pedals);

    await vi.advanceTimersByTimeAsync(4_000);

    expect(seen).toEqual([
      { action: 'still', atMs: 500 }, // the press at 506 ms is bounce (6 ms after 500)
      { action: 'video-toggle', atMs: 1500 },
      { action: 'marker', atMs: 2300 },
      { action: 'video-toggle', atMs: 3000 },
      { action: 'marker', atMs: 3100 }, // right joins while left is held: left does not fire again
    ]);
  });

  it('the recording does bounce: without debounce the middle pedal would fire twice', async () => {
    const store = new BindingStore(join(folder, 'pedals.json'));
    await store.bind({ button: MIDDLE, action: 'still' });
    const pedals = new PedalService({ store, now: () => Date.now(), debounceMs: 0 });
    hub = new HidHub(new ReplayBackend([recording('vec-infinity-3-pedal.json')]), [pedals]);
    await hub.start();
    const seen = collect(pedals);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(seen.map((press) => press.atMs)).toEqual([500, 506]);
  });

  it('fires nothing for unbound pedals', async () => {
    const store = new BindingStore(join(folder, 'pedals.json'));
    await store.bind({ button: RIGHT, action: 'still' });
    const seen = collect(await startPedals('vec-infinity-3-pedal.json', store));
    await vi.advanceTimersByTimeAsync(4_000);
    expect(seen.map((press) => press.atMs)).toEqual([2300, 3100]);
  });
});

describe('learning a pedal ("press the pedal now")', () => {
  it('learns the right pedal of a pedal that reports only on change, binds it, and the binding survives a reload', async () => {
    const file = join(folder, 'pedals.json');
    const store = new BindingStore(file);
    const pedals = await startPedals('vec-infinity-right-pedal.json', store);
    const seen = collect(pedals);

    const learning = pedals.learn({ timeoutMs: 5_000 });
    await vi.advanceTimersByTimeAsync(1_000);
    const button = await learning;

    expect(button).toEqual(RIGHT);
    expect(seen).toEqual([]); // no action fires while learning
    await pedals.bind(button, 'still');

    const reloaded = new BindingStore(file);
    expect(await reloaded.load()).toEqual([{ button: RIGHT, action: 'still' }]);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ version: 1 });
    expect((await readdir(folder)).filter((name) => name.startsWith('.tmp-'))).toEqual([]);
  });

  it('learns byte 1 of a pedal with numbered reports, not its report ID', async () => {
    const pedals = await startPedals(
      'report-id-3-pedal.json',
      new BindingStore(join(folder, 'p.json')),
    );
    const learning = pedals.learn({ timeoutMs: 5_000 });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await learning).toEqual({
      kind: 'hid',
      vendorId: 0x05f3,
      productId: 0x0438,
      byteIndex: 1,
      mask: 0x02,
    });
  });

  it('times out with a message that says what to check', async () => {
    const pedals = new PedalService({ store: new BindingStore(join(folder, 'p.json')) });
    const learning = pedals.learn({ timeoutMs: 10_000 });
    const failed = expect(learning).rejects.toThrow(/No pedal press in 10 s: no HID pedal is open/);
    await vi.advanceTimersByTimeAsync(10_000);
    await failed;
  });

  it('can be cancelled, and a second learn cancels the first', async () => {
    const pedals = new PedalService({ store: new BindingStore(join(folder, 'p.json')) });
    const controller = new AbortController();
    const first = pedals.learn({ signal: controller.signal });
    const second = pedals.learn({ signal: controller.signal });
    await expect(first).rejects.toBeInstanceOf(LearnAbortedError);
    controller.abort();
    await expect(second).rejects.toThrow('cancelled');
  });
});

describe('keyboard-type pedals', () => {
  it('are bound by key code and looked up by the renderer', async () => {
    const store = new BindingStore(join(folder, 'p.json'));
    const pedals = new PedalService({ store });
    await pedals.bind({ kind: 'key', code: 'F14' }, 'marker');
    expect(pedals.actionForKey('F14')).toBe('marker');
    expect(pedals.actionForKey('F15')).toBeUndefined();
    expect(pedals.bindings()).toEqual([{ button: { kind: 'key', code: 'F14' }, action: 'marker' }]);
  });
});

describe('BindingStore', () => {
  it('creates its folder, keeps two quick binds, and refuses a damaged file without touching it', async () => {
    const file = join(folder, 'settings', 'pedals.json');
    const store = new BindingStore(file);
    await Promise.all([
      store.bind({ button: LEFT, action: 'still' }),
      store.bind({ button: RIGHT, action: 'marker' }),
    ]);
    expect(await new BindingStore(file).load()).toHaveLength(2);

    await writeFile(file, '{"version": 1, "bindings": [');
    await expect(new BindingStore(file).load()).rejects.toBeInstanceOf(BindingFileError);
    await writeFile(
      file,
      '{"version": 1, "bindings": [{"button": {"kind": "hid"}, "action": "still"}]}',
    );
    await expect(new BindingStore(file).load()).rejects.toThrow(
      /Pedal bindings .*unexpected content/,
    );
    expect(await new BindingStore(join(folder, 'missing.json')).load()).toEqual([]);
  });
});
