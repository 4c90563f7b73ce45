/**
 * Pedal buttons identified by where they live in a report, not by a vendor table: "press the pedal
 * now" finds the bit that goes 0→1, so any pedal that reports buttons as bits works without us
 * knowing its model (VEC Infinity, Olympus, Philips and X-keys foot switches all do).
 */
import { vendorProductId } from '../types';

/** Actions a pedal or key may trigger; the capture view maps them to its own commands. */
export const PEDAL_ACTIONS = ['still', 'video-toggle', 'marker'] as const;
export type PedalAction = (typeof PEDAL_ACTIONS)[number];

/** A button of a HID device: bit(s) `mask` of byte `byteIndex` of its input report; set = pressed. */
export interface HidButton {
  readonly kind: 'hid';
  readonly vendorId: number;
  readonly productId: number;
  readonly byteIndex: number;
  /** One bit, as learned; a stored multi-bit mask means "any of these". */
  readonly mask: number;
}

/**
 * A keyboard-type pedal: the OS owns it and delivers key events (KeyboardEvent.code, e.g. "F14"),
 * so the renderer looks its key up here instead of reading the device.
 */
export interface KeyButton {
  readonly kind: 'key';
  readonly code: string;
}

export type PedalButton = HidButton | KeyButton;

export interface PedalBinding {
  readonly button: PedalButton;
  readonly action: PedalAction;
}

/** Stable identity of a button: "hid:05f3:00ff:0:02" or "key:F14". */
export function buttonKey(button: PedalButton): string {
  if (button.kind === 'key') return `key:${button.code}`;
  const mask = button.mask.toString(16).padStart(2, '0');
  return `hid:${vendorProductId(button)}:${button.byteIndex}:${mask}`;
}

/** Is the button down in this report? A report too short to hold its byte counts as released. */
export function isPressed(button: HidButton, report: Uint8Array): boolean {
  const byte = report[button.byteIndex];
  return byte !== undefined && (byte & button.mask) !== 0;
}

/**
 * The first bit that is set in `report` and clear in `idle`, scanning bytes in order and bits from
 * the lowest: that is the button just pressed. Undefined when nothing went 0→1 (a release, or a
 * repeat of the idle report). An idle report shorter than the report counts as zeros.
 */
export function firstPressedBit(
  idle: Uint8Array,
  report: Uint8Array,
): { byteIndex: number; mask: number } | undefined {
  for (let byteIndex = 0; byteIndex < report.length; byteIndex += 1) {
    const rising = (report[byteIndex] ?? 0) & ~(idle[byteIndex] ?? 0) & 0xff;
    if (rising !== 0) return { byteIndex, mask: rising & -rising }; // lowest set bit
  }
  return undefined;
}
