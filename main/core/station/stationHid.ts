import { join } from 'node:path';
import type { EventName, EventPayload, HidStatus, PedalAction } from '../../../preload/contract';
import { startHid, type HidBackend, type HidStation } from '../hid';
import { buttonKey } from '../hid/pedal/buttons';
import type { Logger } from '../log/Logger';
import { StationError } from '../rpc/dispatch';

/**
 * Keys the station's own shortcuts use (Space, R, F, /, Enter, Escape, Tab, Alt+1/2): a pedal
 * bound to one would act twice or steal the shortcut, so binding them is refused.
 */
const RESERVED_KEYS = new Set([
  'Space',
  'KeyR',
  'KeyF',
  'Slash',
  'Enter',
  'NumpadEnter',
  'Escape',
  'Tab',
  'Digit1',
  'Digit2',
]);

type Emit = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

/**
 * Foot pedals and HID scanners for the station: presses and scans become contract events, the
 * device list is pushed on every change, and "press the pedal now" binds a button. HID is an
 * extra: when it cannot start (a damaged bindings file, no libudev) the station runs without it
 * and says why in the status.
 */
export class StationHid {
  private readonly starting: Promise<HidStation | undefined>;
  private unavailable: string | undefined;

  constructor(
    dataFolder: string,
    backend: HidBackend | undefined,
    log: Logger,
    private readonly emit: Emit,
  ) {
    const bindingsFile = join(dataFolder, 'settings', 'pedals.json');
    this.starting = startHid({ bindingsFile, ...(backend ? { backend } : {}) }).then(
      (hid) => {
        hid.pedals.on('action', (press) => emit('pedal', { action: press.action }));
        hid.scanner.on('scan', (scan) => emit('hidScan', { text: scan.text.slice(0, 256) }));
        hid.hub.on('devices', () => emit('hidChanged', this.statusOf(hid)));
        hid.hub.on('error', (error) => {
          this.unavailable = error.message;
          log.warn('HID devices unavailable', { error });
        });
        return hid;
      },
      (error: unknown) => {
        this.unavailable = error instanceof Error ? error.message : String(error);
        log.error('pedals and HID scanners could not start', { error });
        return undefined;
      },
    );
  }

  async status(): Promise<HidStatus> {
    const hid = await this.starting;
    return hid ? this.statusOf(hid) : { unavailable: this.unavailable, devices: [], bindings: [] };
  }

  /** Waits for the next press of any HID button and binds it to `action`. */
  async learn(action: PedalAction, timeoutMs?: number): Promise<HidStatus> {
    const hid = await this.starting;
    if (!hid)
      throw new StationError(
        `pedals are unavailable: ${this.unavailable ?? 'HID did not start'}`,
        'unavailable',
      );
    try {
      const button = await hid.pedals.learn(timeoutMs ? { timeoutMs } : {});
      await hid.pedals.bind(button, action);
    } catch (error) {
      throw new StationError(error instanceof Error ? error.message : String(error));
    }
    return this.statusOf(hid);
  }

  /** Binds a key of a keyboard-type pedal (KeyboardEvent.code) to `action`, durably. */
  async bindKey(code: string, action: PedalAction): Promise<HidStatus> {
    if (RESERVED_KEYS.has(code))
      throw new StationError(
        `${code} is one of the station's own shortcut keys; press the key the pedal sends`,
      );
    const hid = await this.starting;
    if (!hid)
      throw new StationError(
        `pedals are unavailable: ${this.unavailable ?? 'HID did not start'}`,
        'unavailable',
      );
    await hid.pedals.bind({ kind: 'key', code }, action);
    const status = this.statusOf(hid);
    this.emit('hidChanged', status); // every window's key pedals follow the new binding
    return status;
  }

  async close(): Promise<void> {
    await (await this.starting)?.stop();
  }

  private statusOf(hid: HidStation): HidStatus {
    return {
      ...(this.unavailable ? { unavailable: this.unavailable } : {}),
      devices: hid.hub.statuses().map((s) => ({
        name:
          s.device.product ??
          `${s.device.vendorId.toString(16)}:${s.device.productId.toString(16)}`,
        role: s.role,
        state: s.state,
        ...(s.message ? { message: s.message } : {}),
      })),
      bindings: hid.pedals
        .bindings()
        .map((b) => ({ button: buttonKey(b.button), action: b.action })),
    };
  }
}
