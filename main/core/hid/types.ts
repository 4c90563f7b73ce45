/**
 * Device access behind an interface: the station talks to HidBackend, never to node-hid, so tests
 * drive everything with recorded reports (this machine has no kernel HID, uhid or uinput).
 */
import type { EventEmitter } from 'node:events';

/** What a device list entry tells us; mirrors node-hid's Device, minus what we never use. */
export interface HidDeviceInfo {
  readonly vendorId: number;
  readonly productId: number;
  /** OS path (Linux: /dev/hidrawN). One physical device may expose several paths (interfaces). */
  readonly path: string;
  readonly product?: string;
  readonly manufacturer?: string;
  /** Top-level usage of the interface (HID Usage Tables 1.4 §3): 0x01 generic desktop, 0x8C bar code scanner … */
  readonly usagePage?: number;
  readonly usage?: number;
}

export interface HidDeviceEvents {
  /** One input report as the OS delivers it (first byte is the report ID when the device numbers its reports). */
  data: [report: Buffer];
  /** Read failure; after an unplug the device emits this once and delivers nothing more. */
  error: [error: Error];
}

/** An open device. close() is idempotent and never rejects. */
export interface HidDevice extends EventEmitter<HidDeviceEvents> {
  readonly info: HidDeviceInfo;
  close(): Promise<void>;
}

export interface HidBackend {
  /** Every HID interface the OS lists, whether or not we may open it. Rejects only if the backend cannot load. */
  list(): Promise<HidDeviceInfo[]>;
  /** Opens one interface by path. Rejects with HidAccessError (device named, udev fix given). */
  open(path: string): Promise<HidDevice>;
}

/** HID Usage Tables 1.4: usage pages and usages we recognise. */
export const HidUsage = {
  /** §4 Generic Desktop page. */
  GENERIC_DESKTOP_PAGE: 0x01,
  MOUSE: 0x02,
  KEYBOARD: 0x06,
  /** HID Point of Sale Usage Tables 1.02 §3 / HUT 1.4 §24: Bar Code Scanner page. */
  BAR_CODE_SCANNER_PAGE: 0x8c,
} as const;

/** "05f3:00ff": how people and lsusb name a device model. */
export function vendorProductId(device: { vendorId: number; productId: number }): string {
  const hex = (value: number): string => value.toString(16).padStart(4, '0');
  return `${hex(device.vendorId)}:${hex(device.productId)}`;
}

/** A name for messages: product and manufacturer when known, always the vendor:product ID. */
export function describeDevice(device: HidDeviceInfo): string {
  const name = [device.manufacturer, device.product].filter(Boolean).join(' ').trim();
  return name ? `${name} (${vendorProductId(device)})` : `HID device ${vendorProductId(device)}`;
}

/** True for the mice and keyboards the OS owns (keyboard-type pedals are read as key events). */
export function isKeyboardOrMouse(device: HidDeviceInfo): boolean {
  return (
    device.usagePage === HidUsage.GENERIC_DESKTOP_PAGE &&
    (device.usage === HidUsage.KEYBOARD || device.usage === HidUsage.MOUSE)
  );
}
