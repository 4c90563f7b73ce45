import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as hid from '../../../main/core/hid';
import { HidAccessError, HidUnavailableError } from '../../../main/core/hid/HidAccessError';
import { HidHub, type HidDeviceStatus } from '../../../main/core/hid/HidHub';
import { HotplugMonitor } from '../../../main/core/hid/HotplugMonitor';
import { KNOWN_VENDORS } from '../../../main/core/hid/knownDevices';
import { createNodeHidBackend, type NodeHidModule } from '../../../main/core/hid/nodeHidBackend';
import { ReplayBackend } from '../../../main/core/hid/ReplayBackend';
import { recordReports } from '../../../main/core/hid/recordReports';
import { parseRecording } from '../../../main/core/hid/recordedReports';
import { BindingStore } from '../../../main/core/hid/pedal/BindingStore';
import { PedalService } from '../../../main/core/hid/pedal/PedalService';
import type { HidDeviceInfo } from '../../../main/core/hid/types';
import { recording } from './replayFixtures';

afterEach(() => {
  vi.useRealTimers();
});

describe('node-hid backend', () => {
  it('importing main/core/hid does not load the native module', () => {
    expect(hid.createNodeHidBackend).toBeTypeOf('function');
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    expect(loaded.filter((path) => path.includes('/node-hid/'))).toEqual([]);
  });

  it('lists devices through the real node-hid (none on this machine)', async () => {
    const devices = await createNodeHidBackend().list();
    expect(Array.isArray(devices)).toBe(true);
  });

  it('a missing native module rejects with the libraries to install', async () => {
    const backend = createNodeHidBackend({
      load: () => Promise.reject(new Error("Cannot find module 'node-hid'")),
    });
    const listing = backend.list();
    await expect(listing).rejects.toBeInstanceOf(HidUnavailableError);
    await expect(listing).rejects.toThrow(/libudev1 libusb-1\.0-0/);
  });

  it('an open that fails names the device and gives the udev fix', async () => {
    const fake: NodeHidModule = {
      devicesAsync: () =>
        Promise.resolve([
          {
            vendorId: 0x05f3,
            productId: 0x00ff,
            path: '/dev/hidraw3',
            product: 'VEC USB Footpedal',
          },
          { vendorId: 0x1234, productId: 0x0001 }, // no path: cannot be opened, not listed
        ]),
      HIDAsync: {
        open: () => Promise.reject(new Error('cannot open device with path /dev/hidraw3')),
      },
    };
    const backend = createNodeHidBackend({ load: () => Promise.resolve(fake) });
    expect(await backend.list()).toEqual([
      { vendorId: 0x05f3, productId: 0x00ff, path: '/dev/hidraw3', product: 'VEC USB Footpedal' },
    ]);
    const opening = backend.open('/dev/hidraw3');
    await expect(opening).rejects.toBeInstanceOf(HidAccessError);
    await expect(opening).rejects.toThrow(
      /Cannot open VEC USB Footpedal \(05f3:00ff\) at \/dev\/hidraw3: .*70-capture-station\.rules.*udevadm control --reload/,
    );
  });
});

describe('node-hid device wrapper', () => {
  class FakeHandle extends EventEmitter {
    closed = 0;
    close(): Promise<void> {
      this.closed += 1;
      return Promise.resolve();
    }
  }

  it('forwards reports as Buffers, names the device on a read error, and goes quiet once closed', async () => {
    const handle = new FakeHandle();
    const fake: NodeHidModule = {
      devicesAsync: () =>
        Promise.resolve([
          {
            vendorId: 0x05f3,
            productId: 0x00ff,
            path: '/dev/hidraw3',
            product: 'VEC USB Footpedal',
          },
        ]),
      HIDAsync: { open: () => Promise.resolve(handle) },
    };
    const backend = createNodeHidBackend({ load: () => Promise.resolve(fake) });
    await backend.list();
    const device = await backend.open('/dev/hidraw3');
    const reports: Buffer[] = [];
    const errors: Error[] = [];
    device.on('data', (report) => reports.push(report));
    device.on('error', (error) => errors.push(error));

    handle.emit('data', [0x02, 0x00]);
    handle.emit('error', new Error('could not read from HID device'));
    expect(reports).toEqual([Buffer.from([0x02, 0x00])]);
    expect(errors[0]?.message).toBe(
      'VEC USB Footpedal (05f3:00ff): read failed (unplugged?): could not read from HID device',
    );

    await Promise.all([device.close(), device.close()]);
    handle.emit('data', Buffer.from([0x01, 0x00]));
    expect(handle.closed).toBe(1);
    expect(reports).toHaveLength(1);
  });
});

describe('hot-plug', () => {
  it('polls every 2 s and reports attached and detached devices', async () => {
    vi.useFakeTimers();
    const backend = new ReplayBackend([recording('vec-infinity-3-pedal.json')]);
    const monitor = new HotplugMonitor(backend);
    const events: string[] = [];
    const note = (kind: string) => (device: HidDeviceInfo) => events.push(`${kind} ${device.path}`);
    monitor.on('attached', note('attached'));
    monitor.on('detached', note('detached'));

    await monitor.start();
    backend.plug(recording('honeywell-hid-pos.json'));
    await vi.advanceTimersByTimeAsync(1_999);
    expect(events).toEqual(['attached /dev/hidraw3']);
    await vi.advanceTimersByTimeAsync(1);
    backend.unplug('/dev/hidraw3');
    await vi.advanceTimersByTimeAsync(2_000);
    monitor.stop();

    expect(events).toEqual([
      'attached /dev/hidraw3',
      'attached /dev/hidraw7',
      'detached /dev/hidraw3',
    ]);
  });

  it('the hub opens wanted devices, reports refused ones with the fix, and closes on unplug', async () => {
    vi.useFakeTimers();
    const pedal = recording('vec-infinity-3-pedal.json');
    const other = { ...pedal, device: { ...pedal.device, path: '/dev/hidraw4', vendorId: 0x046d } };
    const backend = new ReplayBackend([pedal, recording('report-id-3-pedal.json'), other]);
    backend.deny('/dev/hidraw5');
    const pedals = new PedalService({ store: new BindingStore('/nonexistent/pedals.json') });
    const hub = new HidHub(backend, [pedals]);
    let latest: HidDeviceStatus[] = [];
    hub.on('devices', (statuses) => (latest = statuses));

    await hub.start();
    const summary = (statuses: HidDeviceStatus[]): string[] =>
      statuses.map((status) => `${status.device.path} ${status.role} ${status.state}`).sort();
    expect(summary(latest)).toEqual([
      '/dev/hidraw3 pedal open',
      '/dev/hidraw5 pedal no-access', // 046d (a mouse maker) is not wanted, so never opened
    ]);
    expect(latest.find((status) => status.state === 'no-access')?.message).toMatch(
      /XK-3 Foot Pedal \(05f3:0438\).*permission denied.*\/etc\/udev\/rules\.d/,
    );
    expect(backend.openCount('/dev/hidraw4')).toBe(0);

    backend.unplug('/dev/hidraw3');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(summary(latest)).toEqual(['/dev/hidraw5 pedal no-access']);
    expect(backend.openCount('/dev/hidraw3')).toBe(0);
    expect(pedals.devices()).toEqual([]);
    await hub.stop();
  });
});

describe('hub refresh', () => {
  it('opens a refused pedal once the rule is installed, and a device picked in settings', async () => {
    vi.useFakeTimers();
    const known = recording('report-id-3-pedal.json');
    const unknown = recording('vec-infinity-3-pedal.json');
    const odd = {
      ...unknown,
      device: { ...unknown.device, vendorId: 0x1209, path: '/dev/hidraw8' },
    };
    const backend = new ReplayBackend([known, odd]);
    backend.deny('/dev/hidraw5');
    const pedals = new PedalService({ store: new BindingStore('/nonexistent/pedals.json') });
    const hub = new HidHub(backend, [pedals]);
    await hub.start();
    expect(hub.statuses().map((status) => status.state)).toEqual(['no-access']);
    expect(
      hub
        .allDevices()
        .map((device) => device.path)
        .sort(),
    ).toEqual(['/dev/hidraw5', '/dev/hidraw8']);

    backend.allow('/dev/hidraw5');
    pedals.useDevices(['1209:00ff']);
    await hub.refresh();

    const open = hub.statuses().filter((status) => status.state === 'open');
    expect(open.map((status) => status.device.path).sort()).toEqual([
      '/dev/hidraw5',
      '/dev/hidraw8',
    ]);
    await hub.stop();
    expect(backend.openCount('/dev/hidraw5') + backend.openCount('/dev/hidraw8')).toBe(0);
  });
});

describe('udev rule', () => {
  const rules = readFileSync(join('resources', 'udev', '70-capture-station.rules'), 'utf8');

  it('grants hidraw to the seat user for every vendor the station opens by itself', () => {
    for (const { vendorId } of KNOWN_VENDORS) {
      const id = vendorId.toString(16).padStart(4, '0');
      expect(rules).toContain(`SUBSYSTEM=="hidraw", ATTRS{idVendor}=="${id}", TAG+="uaccess"`);
    }
  });

  it('says how to install it', () => {
    expect(rules).toContain('/etc/udev/rules.d/');
    expect(rules).toContain('udevadm control --reload');
    expect(rules).toMatch(/replug/);
  });
});

describe('recordReports', () => {
  it('records a device in the replay format: replaying a recording records the same reports', async () => {
    vi.useFakeTimers();
    const original = recording('vec-infinity-3-pedal.json');
    const recorded = await Promise.all([
      recordReports(new ReplayBackend([original]), '/dev/hidraw3', 5_000),
      vi.advanceTimersByTimeAsync(5_000),
    ]).then(([result]) => result);
    expect(recorded.device).toEqual(original.device);
    expect(recorded.reports).toEqual(original.reports);
    expect(parseRecording(JSON.parse(JSON.stringify(recorded)))).toEqual(recorded);
  });
});
