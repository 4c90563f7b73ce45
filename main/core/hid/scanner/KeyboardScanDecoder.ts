/**
 * Keyboard-emulation scanners opened as HID: the boot keyboard input report (HID 1.11 Appendix B.1:
 * [modifiers, reserved, key1 … key6]) carries usage IDs of the Keyboard/Keypad page 0x07
 * (HUT 1.4 §10). Scanners type with a US layout by default, which is what this table decodes.
 * A key counts when it appears in a report and was absent from the previous one (the scanner sends
 * a release report, usually all zeros, between two equal characters).
 */

const SHIFT_MASK = 0x22; // left shift (bit 1) | right shift (bit 5)
const MODIFIER_INDEX = 0;
const FIRST_KEY_INDEX = 2;
const ENTER = 0x28;
const KEYPAD_ENTER = 0x58;

/** usage → [unshifted, shifted] */
const KEYS = new Map<number, readonly [string, string]>();
for (let i = 0; i < 26; i += 1) {
  const letter = String.fromCharCode(0x61 + i);
  KEYS.set(0x04 + i, [letter, letter.toUpperCase()]);
}
const DIGITS_SHIFTED = '!@#$%^&*()';
for (let i = 0; i < 10; i += 1) KEYS.set(0x1e + i, [`${(i + 1) % 10}`, DIGITS_SHIFTED[i] ?? '']);
const PUNCTUATION: readonly [number, string, string][] = [
  [0x2c, ' ', ' '],
  [0x2d, '-', '_'],
  [0x2e, '=', '+'],
  [0x2f, '[', '{'],
  [0x30, ']', '}'],
  [0x31, '\\', '|'],
  [0x33, ';', ':'],
  [0x34, "'", '"'],
  [0x35, '`', '~'],
  [0x36, ',', '<'],
  [0x37, '.', '>'],
  [0x38, '/', '?'],
  [0x54, '/', '/'],
  [0x55, '*', '*'],
  [0x56, '-', '-'],
  [0x57, '+', '+'],
  [0x63, '.', '.'],
];
for (const [usage, plain, shifted] of PUNCTUATION) KEYS.set(usage, [plain, shifted]);
for (let i = 0; i < 10; i += 1) KEYS.set(0x59 + i, [`${(i + 1) % 10}`, `${(i + 1) % 10}`]); // keypad 1…9, 0

/** Longest scan kept; a keyboard that never sends Enter must not grow memory without bound. */
export const MAX_SCAN_CHARS = 4096;

/** Feeds boot keyboard reports; returns the typed text when Enter arrives. */
export class KeyboardScanDecoder {
  private text = '';
  private down = new Set<number>();

  /** @param reportIdBytes 1 when the device prefixes its reports with a report ID, else 0. */
  constructor(private readonly reportIdBytes = 0) {}

  feed(report: Uint8Array): string | undefined {
    const body = report.subarray(this.reportIdBytes);
    const shifted = ((body[MODIFIER_INDEX] ?? 0) & SHIFT_MASK) !== 0;
    const keys = [...body.subarray(FIRST_KEY_INDEX)].filter((usage) => usage !== 0);
    const previous = this.down;
    this.down = new Set(keys);
    for (const usage of keys) {
      if (previous.has(usage)) continue;
      if (usage === ENTER || usage === KEYPAD_ENTER) return this.take();
      const char = KEYS.get(usage)?.[shifted ? 1 : 0];
      if (char !== undefined && this.text.length < MAX_SCAN_CHARS) this.text += char;
    }
    return undefined;
  }

  private take(): string | undefined {
    const text = this.text;
    this.text = '';
    return text === '' ? undefined : text;
  }
}
