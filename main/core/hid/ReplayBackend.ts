/**
 * HidBackend that plays recordings instead of touching hardware (this machine has no kernel HID).
 * Each report is emitted `atMs` after the device is opened, on ordinary timers, so tests run it
 * under fake timers. plug()/unplug() change the device list as a hot-plug would; unplug makes an
 * open device emit 'error' once, as node-hid does when a read fails.
 */
import { EventEmitter } from 'node:events';
import { HidAccessError } from './HidAccessError';
import { reportBytes, type Recording } from './recordedReports';
import type { HidBackend, HidDevice, HidDeviceEvents, HidDeviceInfo } from './types';

export class ReplayBackend implements HidBackend {
  private readonly recordings = new Map<string, Recording>();
  private readonly open_ = new Map<string, Set<ReplayDevice>>();
  /** Paths whose open() fails as a missing udev rule would. */
  private readonly denied = new Set<string>();

  constructor(recordings: readonly Recording[] = []) {
    for (const recording of recordings) this.plug(recording);
  }

  list(): Promise<HidDeviceInfo[]> {
    return Promise.resolve([...this.recordings.values()].map((recording) => recording.device));
  }

  open(path: string): Promise<HidDevice> {
    const recording = this.recordings.get(path);
    if (!recording) return Promise.reject(new HidAccessError({ path }, 'no such device'));
    if (this.denied.has(path)) {
      return Promise.reject(new HidAccessError(recording.device, 'permission denied'));
    }
    const device = new ReplayDevice(recording, () => this.open_.get(path)?.delete(device));
    const devices = this.open_.get(path) ?? new Set<ReplayDevice>();
    devices.add(device);
    this.open_.set(path, devices);
    return Promise.resolve(device);
  }

  plug(recording: Recording): void {
    this.recordings.set(recording.device.path, recording);
  }

  /** Removes the device from the list; open handles emit 'error' and go quiet. */
  unplug(path: string): void {
    this.recordings.delete(path);
    for (const device of this.open_.get(path) ?? []) device.unplugged();
    this.open_.delete(path);
  }

  /** Makes open(path) fail with the access error a missing udev rule causes. */
  deny(path: string): void {
    this.denied.add(path);
  }

  /** Undoes deny(): as if the udev rule had been installed. */
  allow(path: string): void {
    this.denied.delete(path);
  }

  /** How many handles are open on a path (tests check that closing closes). */
  openCount(path: string): number {
    return this.open_.get(path)?.size ?? 0;
  }
}

class ReplayDevice extends EventEmitter<HidDeviceEvents> implements HidDevice {
  readonly info: HidDeviceInfo;
  private readonly timers: NodeJS.Timeout[];

  constructor(
    recording: Recording,
    private readonly onClose: () => void,
  ) {
    super();
    this.info = recording.device;
    this.timers = recording.reports.map((report) =>
      setTimeout(() => this.emit('data', reportBytes(report)), report.atMs),
    );
  }

  unplugged(): void {
    this.stop();
    this.emit('error', new Error(`${this.info.path}: device unplugged`));
  }

  close(): Promise<void> {
    this.stop();
    this.onClose();
    return Promise.resolve();
  }

  private stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }
}
