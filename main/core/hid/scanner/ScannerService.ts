/**
 * HID bar code scanners (wristbands): HID POS scanners (usage page 0x8C) always, and keyboard-
 * emulation scanners only when their vendor:product is configured — the OS also types their
 * characters into the focused field, so reading them as HID is opt-in (issue 5 item 3).
 * Emits 'scan' with the decoded text. Symbol bytes are read as ISO 8859-1, the default character
 * set of Code 128 and most linear symbologies (ISO/IEC 15417 §4.1); wristband IDs are ASCII anyway.
 */
import { EventEmitter } from 'node:events';
import type { HidConsumer } from '../HidHub';
import {
  HidUsage,
  isKeyboardOrMouse,
  vendorProductId,
  type HidDevice,
  type HidDeviceInfo,
} from '../types';
import { KeyboardScanDecoder, MAX_SCAN_CHARS } from './KeyboardScanDecoder';
import { DEFAULT_POS_LAYOUT, decodePosReport, type PosReportLayout } from './posScanReport';

export interface HidScan {
  readonly text: string;
  /** AIM symbology identifier when the scanner sent one (HID POS only). */
  readonly aim?: string;
  readonly via: 'hid-pos' | 'hid-keyboard';
  readonly device: HidDeviceInfo;
}

export interface ScannerServiceEvents {
  scan: [scan: HidScan];
}

export interface ScannerServiceOptions {
  /** "vvvv:pppp" of keyboard-emulation scanners to read through hidraw. */
  readonly keyboardScanners?: readonly string[];
  /** Keyboard scanners whose reports start with a report ID byte. */
  readonly keyboardReportIdBytes?: 0 | 1;
  readonly posLayout?: PosReportLayout;
}

type Decoder = (report: Buffer) => Omit<HidScan, 'device'> | undefined;

export class ScannerService extends EventEmitter<ScannerServiceEvents> implements HidConsumer {
  readonly role = 'scanner';
  private readonly attached = new Map<string, HidDevice>();

  constructor(private readonly options: ScannerServiceOptions = {}) {
    super();
  }

  wants(device: HidDeviceInfo): boolean {
    if (device.usagePage === HidUsage.BAR_CODE_SCANNER_PAGE) return true;
    const listed = (this.options.keyboardScanners ?? []).includes(vendorProductId(device));
    return listed && isKeyboardOrMouse(device);
  }

  attach(device: HidDevice): void {
    this.attached.set(device.info.path, device);
    const decode = this.decoderFor(device.info);
    device.on('data', (report) => {
      const scan = decode(report);
      if (scan) this.emit('scan', { ...scan, device: device.info });
    });
  }

  detach(path: string): void {
    this.attached.delete(path);
  }

  devices(): HidDeviceInfo[] {
    return [...this.attached.values()].map((device) => device.info);
  }

  private decoderFor(device: HidDeviceInfo): Decoder {
    if (device.usagePage === HidUsage.BAR_CODE_SCANNER_PAGE) {
      return posDecoder(this.options.posLayout ?? DEFAULT_POS_LAYOUT);
    }
    const keyboard = new KeyboardScanDecoder(this.options.keyboardReportIdBytes ?? 0);
    return (report) => {
      const text = keyboard.feed(report);
      return text === undefined ? undefined : { text, via: 'hid-keyboard' };
    };
  }
}

/** Joins continued reports into one symbol; a symbol longer than MAX_SCAN_CHARS is dropped. */
function posDecoder(layout: PosReportLayout): Decoder {
  let parts: Buffer[] = [];
  let size = 0;
  return (report) => {
    const fragment = decodePosReport(report, layout);
    if (!fragment) return undefined;
    parts.push(fragment.data);
    size += fragment.data.length;
    if (fragment.continued && size <= MAX_SCAN_CHARS) return undefined;
    const bytes = Buffer.concat(parts);
    parts = [];
    size = 0;
    if (bytes.length === 0 || bytes.length > MAX_SCAN_CHARS) return undefined;
    return {
      text: bytes.toString('latin1'),
      via: 'hid-pos',
      ...(fragment.aim ? { aim: fragment.aim } : {}),
    };
  };
}
