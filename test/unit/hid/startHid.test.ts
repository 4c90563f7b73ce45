import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { ReplayBackend, startHid, type HidStation, type PedalPress } from '../../../main/core/hid';
import { HidUnavailableError } from '../../../main/core/hid/HidAccessError';
import { createNodeHidBackend } from '../../../main/core/hid/nodeHidBackend';
import { recording } from './replayFixtures';

let station: HidStation | undefined;
let folder: string | undefined;
afterEach(async () => {
  await station?.stop();
  station = undefined;
  vi.useRealTimers();
  if (folder) await rm(folder, { recursive: true, force: true });
});

it('a recorded pedal press triggers a still and a recorded wristband scan arrives, side by side', async () => {
  vi.useFakeTimers();
  folder = await mkdtemp(join(tmpdir(), 'hid-'));
  const bindingsFile = join(folder, 'pedals.json');
  const backend = new ReplayBackend([
    recording('vec-infinity-3-pedal.json'),
    recording('honeywell-hid-pos.json'),
  ]);
  station = await startHid({ bindingsFile, backend });
  await station.pedals.bind(
    { kind: 'hid', vendorId: 0x05f3, productId: 0x00ff, byteIndex: 0, mask: 0x02 },
    'still',
  );
  const actions: PedalPress[] = [];
  const scans: string[] = [];
  station.pedals.on('action', (press) => actions.push(press));
  station.scanner.on('scan', (scan) => scans.push(scan.text));

  await vi.advanceTimersByTimeAsync(1_000);

  expect(actions.map((press) => press.action)).toEqual(['still']);
  expect(scans[0]).toBe('MRN0012345');
  expect(
    station.hub
      .statuses()
      .map((status) => `${status.role} ${status.state}`)
      .sort(),
  ).toEqual(['pedal open', 'scanner open']);
});

it('keeps going when node-hid cannot load, and says why at each poll', async () => {
  folder = await mkdtemp(join(tmpdir(), 'hid-'));
  const backend = createNodeHidBackend({
    load: () => Promise.reject(new Error('libudev.so.1: cannot open')),
  });
  const errors: Error[] = [];
  station = await startHid({ bindingsFile: join(folder, 'pedals.json'), backend });
  station.hub.on('error', (error) => errors.push(error));
  await station.hub.refresh();
  expect(errors[0]).toBeInstanceOf(HidUnavailableError);
  expect(station.hub.statuses()).toEqual([]);
});
