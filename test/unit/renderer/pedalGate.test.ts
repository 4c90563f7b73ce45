import { describe, expect, it } from 'vitest';
import { pedalGate } from '../../../renderer/src/features/settings/pedalGate';

describe('which window acts on a pedal press', () => {
  it('acts only in the window with the focus, and never behind a modal dialog', () => {
    expect(pedalGate(true, false)).toBe('act');
    // Every window hears the press: the others leave it to the focused one, silently.
    expect(pedalGate(false, false)).toBe('elsewhere');
    expect(pedalGate(false, true)).toBe('elsewhere');
    // Behind a dialog the press is ignored and the person is told (as key pedals are held back).
    expect(pedalGate(true, true)).toBe('dialog-open');
  });
});
