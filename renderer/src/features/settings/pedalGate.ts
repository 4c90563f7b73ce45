/** What a pedal press does in this window. */
export type PedalGate =
  /** This window acts on it. */
  | 'act'
  /** Another window has the focus (browser mode: several tabs get every press): it acts. */
  | 'elsewhere'
  /** A modal dialog is open here: the press is ignored, and the person is told. */
  | 'dialog-open';

/**
 * One press, one action: every open window hears a HID pedal (the station sends its events to
 * every client), so only the window with the focus acts on it, and never behind a modal dialog
 * (the keys stand still there too, useShortcuts.ts). Electron has one window, which has the focus
 * whenever the station is in front.
 */
export function pedalGate(hasFocus: boolean, modalOpen: boolean): PedalGate {
  if (!hasFocus) return 'elsewhere';
  return modalOpen ? 'dialog-open' : 'act';
}
