/**
 * Connects hot-plug to the services that read devices: each attached device goes to the first
 * consumer that wants it (pedals, scanners), is opened once, and is closed when it goes away.
 * Keeps a status per wanted device for the settings screen, including the ones we may not open
 * (their message carries the udev fix). Devices nobody wants are never opened.
 */
import { EventEmitter } from 'node:events';
import { HotplugMonitor, DEFAULT_POLL_INTERVAL_MS } from './HotplugMonitor';
import { describeDevice, type HidBackend, type HidDevice, type HidDeviceInfo } from './types';

/** A service that reads some kinds of device. attach() subscribes to 'data'; the hub handles 'error'. */
export interface HidConsumer {
  readonly role: string;
  wants(device: HidDeviceInfo): boolean;
  attach(device: HidDevice): void;
  detach(path: string): void;
}

export type HidDeviceState = 'open' | 'no-access' | 'failed';

export interface HidDeviceStatus {
  readonly device: HidDeviceInfo;
  readonly role: string;
  readonly state: HidDeviceState;
  /** For no-access and failed: what went wrong and what to do, ready to show. */
  readonly message?: string;
}

export interface HidHubEvents {
  /** The status list changed (attach, open, failure, detach). */
  devices: [statuses: HidDeviceStatus[]];
  error: [error: Error];
}

interface Entry {
  status: HidDeviceStatus;
  consumer: HidConsumer;
  device?: HidDevice;
}

export class HidHub extends EventEmitter<HidHubEvents> {
  private readonly monitor: HotplugMonitor;
  private readonly entries = new Map<string, Entry>();
  /** Opens in flight; start() and refresh() wait for them. */
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly backend: HidBackend,
    private readonly consumers: readonly HidConsumer[],
    pollIntervalMs = DEFAULT_POLL_INTERVAL_MS,
  ) {
    super();
    this.monitor = new HotplugMonitor(backend, pollIntervalMs);
    this.monitor.on('attached', (device) => void this.attached(device));
    this.monitor.on('detached', (device) => void this.detached(device.path));
    this.monitor.on('error', (error) => this.report(error));
  }

  /** Lists devices and opens the wanted ones; resolves after the first poll's devices are opened or refused. */
  async start(): Promise<void> {
    await this.monitor.start();
    await this.settled();
  }

  async stop(): Promise<void> {
    this.monitor.stop();
    await Promise.all([...this.entries.keys()].map((path) => this.detached(path)));
  }

  /**
   * Polls now and retries every present device that is not open: refused ones (after the udev rule
   * was installed) and ones no consumer wanted before (after PedalService.useDevices()).
   */
  async refresh(): Promise<void> {
    await this.monitor.poll();
    await this.settled();
    for (const device of this.monitor.devices()) {
      if (this.entries.get(device.path)?.status.state !== 'open') void this.attached(device);
    }
    await this.settled();
  }

  /** Every device listed at the last poll, wanted or not (for "use this device as a pedal"). */
  allDevices(): HidDeviceInfo[] {
    return this.monitor.devices();
  }

  statuses(): HidDeviceStatus[] {
    return [...this.entries.values()].map((entry) => entry.status);
  }

  private settled(): Promise<unknown> {
    return Promise.all(this.pending);
  }

  private attached(device: HidDeviceInfo): Promise<void> {
    const consumer = this.consumers.find((candidate) => candidate.wants(device));
    if (!consumer) return Promise.resolve();
    const opening = this.open(device, consumer).finally(() => this.pending.delete(opening));
    this.pending.add(opening);
    return opening;
  }

  private async open(info: HidDeviceInfo, consumer: HidConsumer): Promise<void> {
    const role = consumer.role;
    let device: HidDevice;
    try {
      device = await this.backend.open(info.path);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.set(info.path, {
        consumer,
        status: { device: info, role, state: 'no-access', message },
      });
      return;
    }
    if (!this.monitor.devices().some((present) => present.path === info.path)) {
      await device.close(); // unplugged while we were opening it
      return;
    }
    device.on('error', (error) => void this.failed(info.path, error));
    this.set(info.path, { consumer, device, status: { device: info, role, state: 'open' } });
    consumer.attach(device);
  }

  /** A read failed (usually an unplug, which the next poll confirms): close and say so. */
  private async failed(path: string, error: Error): Promise<void> {
    const entry = this.entries.get(path);
    if (!entry?.device) return;
    entry.consumer.detach(path);
    await entry.device.close();
    const message = `${describeDevice(entry.status.device)} stopped responding: ${error.message}`;
    this.set(path, {
      consumer: entry.consumer,
      status: { ...entry.status, state: 'failed', message },
    });
  }

  private async detached(path: string): Promise<void> {
    const entry = this.entries.get(path);
    if (!entry) return;
    this.entries.delete(path);
    entry.consumer.detach(path);
    await entry.device?.close();
    this.emit('devices', this.statuses());
  }

  private set(path: string, entry: Entry): void {
    this.entries.set(path, entry);
    this.emit('devices', this.statuses());
  }

  private report(error: Error): void {
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }
}
