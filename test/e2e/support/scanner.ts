import type { Page } from 'playwright-core';

/**
 * A keyboard-wedge scanner's burst: every character as a keydown/keyup pair dispatched to the
 * focused element within a millisecond or two, then Enter — as fast as a real scanner types,
 * which Playwright's own keyboard (one round trip per key) cannot be on a loaded machine.
 */
export async function scanWristband(page: Page, code: string): Promise<void> {
  await page.evaluate((text) => {
    const target = document.activeElement ?? document.body;
    for (const key of [...text, 'Enter']) {
      target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
      target.dispatchEvent(new KeyboardEvent('keyup', { key, bubbles: true, cancelable: true }));
    }
  }, code);
}
