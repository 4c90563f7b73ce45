/**
 * Foot pedals and buttons read as HID reports: turns reports into bound actions, and learns new
 * buttons ("press the pedal now"). Edge-triggered: an action fires when a bound bit goes 0→1, never
 * while it stays held, and a rising edge within DEBOUNCE_MS of the last accepted one is contact
 * bounce and ignored (switches in these pedals bounce for a few ms; nobody taps twice in 30 ms).
 */
import { EventEmitter } from 'node:events';
import {
  HidUsage,
  isKeyboardOrMouse,
  vendorProductId,
  type HidDevice,
  type HidDeviceInfo,
} from '../types';
import { knownRole } from '../knownDevices';
import type { HidConsumer } from '../HidHub';
import type { BindingStore } from './BindingStore';
import {
  buttonKey,
  firstPressedBit,
  isPressed,
  type HidButton,
  type PedalAction,
  type PedalBinding,
  type PedalButton,
} from './buttons';

export const DEBOUNCE_MS = 30;
export const DEFAULT_LEARN_TIMEOUT_MS = 15_000;

export interface PedalPress {
  readonly action: PedalAction;
  readonly button: HidButton;
  readonly device: HidDeviceInfo;
}

export interface PedalServiceEvents {
  /** A bound button went down. */
  action: [press: PedalPress];
}

export interface PedalServiceOptions {
  readonly store: BindingStore;
  readonly debounceMs?: number;
  /** Monotonic milliseconds; injectable for tests. */
  readonly now?: () => number;
  /** Further "vvvv:pppp" pedals to open besides the known vendors and bound devices. */
  readonly extraDevices?: readonly string[];
}

/** Learning was not completed: timed out or cancelled. The message says what to check. */
export class LearnAbortedError extends Error {
  override readonly name = 'LearnAbortedError';
}

interface OpenPedal {
  readonly device: HidDevice;
  /** Last report seen; the idle state for learning and the "before" for edges. */
  last: Buffer | undefined;
  reportsSeen: number;
  /** Last accepted press per button key, in now() milliseconds. */
  readonly pressedAt: Map<string, number>;
}

interface Learner {
  resolve(button: HidButton): void;
  cancel(message: string): void;
}

export class PedalService extends EventEmitter<PedalServiceEvents> implements HidConsumer {
  readonly role = 'pedal';
  private readonly pedals = new Map<string, OpenPedal>();
  private readonly now: () => number;
  private readonly debounceMs: number;
  private learner: Learner | undefined;
  private extraDevices: readonly string[];

  constructor(private readonly options: PedalServiceOptions) {
    super();
    this.now = options.now ?? (() => performance.now());
    this.debounceMs = options.debounceMs ?? DEBOUNCE_MS;
    this.extraDevices = options.extraDevices ?? [];
  }

  /**
   * Also treat these "vvvv:pppp" devices as pedals (a model outside KNOWN_VENDORS, picked in
   * settings from HidHub.allDevices()). Takes effect at the next HidHub.refresh().
   */
  useDevices(ids: readonly string[]): void {
    this.extraDevices = [...ids];
  }

  /** Opens known pedal vendors, devices with a binding, and configured extras; never keyboards, mice or scanners. */
  wants(device: HidDeviceInfo): boolean {
    if (isKeyboardOrMouse(device)) return false;
    if (device.usagePage === HidUsage.BAR_CODE_SCANNER_PAGE) return false;
    const id = vendorProductId(device);
    return (
      knownRole(device.vendorId) === 'pedal' ||
      this.extraDevices.includes(id) ||
      this.options.store
        .list()
        .some(({ button }) => button.kind === 'hid' && vendorProductId(button) === id)
    );
  }

  attach(device: HidDevice): void {
    const pedal: OpenPedal = { device, last: undefined, reportsSeen: 0, pressedAt: new Map() };
    this.pedals.set(device.info.path, pedal);
    device.on('data', (report) => this.onReport(pedal, report));
  }

  detach(path: string): void {
    this.pedals.delete(path);
  }

  /** Pedals open now (for the settings screen). */
  devices(): HidDeviceInfo[] {
    return [...this.pedals.values()].map((pedal) => pedal.device.info);
  }

  /**
   * "Press the pedal now": resolves with the button of the next press on any open pedal (not yet
   * bound; call bind()). For a pedal not heard from since it was opened, the press is recognised at
   * its release (see learnFrom). Actions do not fire while learning. Rejects with LearnAbortedError
   * on timeout, abort, or a newer learn().
   */
  learn(options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<HidButton> {
    this.learner?.cancel('Learning was restarted.');
    const timeoutMs = options.timeoutMs ?? DEFAULT_LEARN_TIMEOUT_MS;
    return new Promise<HidButton>((resolve, reject) => {
      const settle = (outcome: () => void): void => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        this.learner = undefined;
        outcome();
      };
      const fail = (message: string): void => settle(() => reject(new LearnAbortedError(message)));
      const onAbort = (): void => fail('Learning the pedal was cancelled.');
      const timer = setTimeout(() => fail(noPressMessage(timeoutMs, this.pedals.size)), timeoutMs);
      this.learner = { resolve: (button) => settle(() => resolve(button)), cancel: fail };
      if (options.signal?.aborted) onAbort();
      else options.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Binds a button (learned, or a key of a keyboard-type pedal) and saves the bindings durably. */
  bind(button: PedalButton, action: PedalAction): Promise<void> {
    return this.options.store.bind({ button, action });
  }

  unbind(button: PedalButton): Promise<void> {
    return this.options.store.unbind(button);
  }

  /** Current bindings, HID buttons and keys (for the settings screen; keys for the renderer's keydown). */
  bindings(): readonly PedalBinding[] {
    return this.options.store.list();
  }

  /** Action bound to a key of a keyboard-type pedal (KeyboardEvent.code); the renderer asks on keydown. */
  actionForKey(code: string): PedalAction | undefined {
    return this.options.store.actionFor({ kind: 'key', code });
  }

  private onReport(pedal: OpenPedal, report: Buffer): void {
    const previous = pedal.last;
    pedal.last = report;
    pedal.reportsSeen += 1;
    if (this.learner) return this.learnFrom(pedal, previous, report);
    for (const binding of this.options.store.list()) {
      const { button } = binding;
      if (button.kind !== 'hid' || !sameModel(button, pedal.device.info)) continue;
      if (!isPressed(button, report) || (previous && isPressed(button, previous))) continue;
      if (!this.acceptPress(pedal, buttonKey(button))) continue;
      this.emit('action', { action: binding.action, button, device: pedal.device.info });
    }
  }

  /** Contact bounce: a rising edge sooner than debounceMs after the last accepted one is ignored. */
  private acceptPress(pedal: OpenPedal, key: string): boolean {
    const now = this.now();
    const last = pedal.pressedAt.get(key);
    if (last !== undefined && now - last < this.debounceMs) return false;
    pedal.pressedAt.set(key, now);
    return true;
  }

  /**
   * The first bit that goes 0→1 against the previous report is the button. Before a device's
   * first report its idle state is unknown (many pedals report only on change; others send an idle
   * report first, report ID included), so the first report alone teaches nothing: if the second
   * one clears bits the first had set, the first was the press and the second its release.
   */
  private learnFrom(pedal: OpenPedal, previous: Buffer | undefined, report: Buffer): void {
    if (!previous || !this.learner) return;
    const pressed =
      firstPressedBit(previous, report) ??
      (pedal.reportsSeen === 2 ? firstPressedBit(report, previous) : undefined);
    if (!pressed) return;
    const { vendorId, productId } = pedal.device.info;
    this.learner.resolve({ kind: 'hid', vendorId, productId, ...pressed });
  }
}

function sameModel(button: HidButton, device: HidDeviceInfo): boolean {
  return button.vendorId === device.vendorId && button.productId === device.productId;
}

function noPressMessage(timeoutMs: number, openPedals: number): string {
  const seconds = Math.round(timeoutMs / 1000);
  if (openPedals === 0) {
    return `No pedal press in ${seconds} s: no HID pedal is open. Plug it in; if it is listed as "no access", install the udev rule. Keyboard-type pedals are bound by their key instead.`;
  }
  return `No pedal press in ${seconds} s on ${openPedals} open pedal(s). Keyboard-type pedals are bound by their key instead.`;
}
