/** Settings of a keyboard-wedge wristband scanner (StationInfo.scanner). */
export interface ScannerSettings {
  readonly prefix: string;
  readonly suffix: string;
  readonly idPattern: string;
  readonly maxKeyIntervalMs: number;
}

/**
 * The Patient ID in a scanned wristband code: prefix and suffix stripped, whitespace trimmed, and
 * the rest checked against the configured pattern. Undefined when it is not an ID (e.g. a
 * medication barcode scanned by mistake).
 */
export function scannedPatientId(code: string, settings: ScannerSettings): string | undefined {
  let id = code.trim();
  if (settings.prefix && id.startsWith(settings.prefix)) id = id.slice(settings.prefix.length);
  if (settings.suffix && id.endsWith(settings.suffix)) id = id.slice(0, -settings.suffix.length);
  id = id.trim();
  return new RegExp(settings.idPattern).test(id) ? id : undefined;
}

const MODIFIER_KEYS = new Set(['Shift', 'CapsLock', 'Alt', 'AltGraph', 'Control', 'Meta']);

/** Minimum characters in a burst before it counts as a scan rather than fast typing. */
export const MIN_SCAN_LENGTH = 4;

/**
 * Tells a scanner's burst from a person's typing by timing: every key of a scan follows the
 * previous one within `maxKeyIntervalMs`, and Enter ends it. Feed it keys with their times; it
 * returns the scanned code when Enter closes a burst, else undefined.
 */
export class WedgeBurstDetector {
  private buffer = '';
  private lastAt = -Infinity;

  constructor(private readonly maxKeyIntervalMs: number) {}

  key(key: string, at: number): string | undefined {
    // Scanners press Shift for capitals like a keyboard does: part of the burst, not a break in it.
    if (MODIFIER_KEYS.has(key)) return undefined;
    const gap = at - this.lastAt;
    this.lastAt = at;
    if (key === 'Enter') {
      const code =
        gap <= this.maxKeyIntervalMs && this.buffer.length >= MIN_SCAN_LENGTH
          ? this.buffer
          : undefined;
      this.buffer = '';
      return code;
    }
    if (key.length !== 1) {
      this.buffer = '';
      return undefined;
    }
    this.buffer = gap <= this.maxKeyIntervalMs ? this.buffer + key : key;
    return undefined;
  }
}
