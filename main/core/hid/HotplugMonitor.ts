/**
 * Hot-plug by polling: hidapi has no portable arrival notification, and a list every 2 s costs
 * one hidraw/sysfs walk (a few ms). Emits 'attached' for every device present at the first poll,
 * then 'attached'/'detached' as the list changes. Devices are told apart by path.
 */
import { EventEmitter } from 'node:events';
import type { HidBackend, HidDeviceInfo } from './types';

export const DEFAULT_POLL_INTERVAL_MS = 2_000;

export interface HotplugEvents {
  attached: [device: HidDeviceInfo];
  detached: [device: HidDeviceInfo];
  /** A list failed (e.g. node-hid could not load); polling goes on. */
  error: [error: Error];
}

export class HotplugMonitor extends EventEmitter<HotplugEvents> {
  private present = new Map<string, HidDeviceInfo>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly backend: HidBackend,
    private readonly intervalMs = DEFAULT_POLL_INTERVAL_MS,
  ) {
    super();
  }

  /** Polls now, then every interval. The returned promise settles after the first poll. */
  start(): Promise<void> {
    if (this.running) return Promise.resolve();
    this.running = true;
    return this.poll();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Devices seen at the last poll. */
  devices(): HidDeviceInfo[] {
    return [...this.present.values()];
  }

  /** One list and diff; the next poll is scheduled only after this one ends, so polls never overlap. */
  async poll(): Promise<void> {
    try {
      this.update(await this.backend.list());
    } catch (error) {
      // An 'error' with no listener would throw and end polling; nobody listening means nobody to tell.
      if (this.listenerCount('error') > 0) {
        this.emit('error', error instanceof Error ? error : new Error(String(error)));
      }
    }
    if (this.running) {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.poll(), this.intervalMs);
    }
  }

  private update(listed: readonly HidDeviceInfo[]): void {
    const next = new Map(listed.map((device) => [device.path, device]));
    const previous = this.present;
    this.present = next;
    for (const [path, device] of previous) if (!next.has(path)) this.emit('detached', device);
    for (const [path, device] of next) if (!previous.has(path)) this.emit('attached', device);
  }
}
