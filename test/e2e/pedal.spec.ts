import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRecording, ReplayBackend } from '../../main/core/hid';
import { openStationPage, startE2eStation, type E2eStation } from './support/browserMode';

const PEDAL = parseRecording(
  JSON.parse(readFileSync('test/fixtures/hid/vec-left-pedal-once.json', 'utf8')),
);

/**
 * Issue 6: "press the pedal now" learns a pedal, and a recorded pedal report then takes a still.
 * No kernel HID exists here: the station's HID backend replays recorded reports, and plugging
 * the recording in is what a person plugging the pedal in would do.
 */
describe('foot pedal end to end: learn in settings, then a press takes a still', () => {
  let e2e: E2eStation;
  let page: Page;
  const backend = new ReplayBackend();

  beforeAll(async () => {
    e2e = await startE2eStation({ hid: backend, config: { station: { department: 'endoscopy' } } });
    page = await openStationPage(e2e);
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it('binds the pressed pedal to "take photo"', async () => {
    await page.getByTestId('pedals-open').click();
    await page.getByTestId('learn-still').click();
    backend.plug(PEDAL);
    await expect
      .poll(() => page.getByTestId('pedal-settings').textContent(), { timeout: 20_000 })
      .toContain('Take photo: hid:05f3:00ff:0:01');
    await page.getByRole('button', { name: 'Close' }).click();
  });

  it('takes a still for the selected patient when the recorded press replays (held for review)', async () => {
    await page.getByTestId('worklist-row').filter({ hasText: 'Colonoscopy' }).click();
    expect(await page.getByTestId('thumbnail').count()).toBe(0);
    // Unplug and plug again: the station reopens the pedal and the recording plays its press.
    backend.unplug(PEDAL.device.path);
    await page.waitForTimeout(2_500);
    backend.plug(PEDAL);
    await page
      .locator('[data-testid="thumbnail"][data-state="review"]')
      .waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('thumbnail').count()).toBe(1);
  });

  it('binds a keyboard-type pedal by its key, and that key then takes a still', async () => {
    await page.getByTestId('pedals-open').click();
    // The station's own shortcut keys are not a pedal's: refused with the reason.
    await page.getByTestId('learn-key-still').click();
    await page.keyboard.press('Space');
    await expect
      .poll(() => page.getByTestId('pedal-settings').getByRole('alert').textContent())
      .toContain("Space is one of the station's own shortcut keys");
    await page.getByTestId('learn-key-still').click();
    await page.keyboard.press('F9');
    await expect.poll(() => page.getByTestId('pedal-settings').textContent()).toContain('key:F9');
    expect(await page.getByTestId('pedal-settings').getByRole('alert').count()).toBe(0);
    // The learnt key belongs to the dialog while it is open: no still yet.
    expect(await page.getByTestId('thumbnail').count()).toBe(1);
    await page.getByRole('button', { name: 'Close' }).click();
    await page.keyboard.press('F9');
    await expect.poll(() => page.getByTestId('thumbnail').count(), { timeout: 30_000 }).toBe(2);
  });

  it('ignores a press behind an open dialog, and says so', async () => {
    await page.getByTestId('unscheduled-open').click();
    backend.unplug(PEDAL.device.path);
    await page.waitForTimeout(2_500);
    backend.plug(PEDAL);
    await page.getByTestId('pedal-notice').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('pedal-notice').textContent()).toBe(
      'The pedal (Take photo) was ignored because a dialog is open: close the dialog first.',
    );
    await page.waitForTimeout(1_000);
    expect(await page.getByTestId('thumbnail').count()).toBe(2);
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('unscheduled-dialog').count()).toBe(0);
  });
});
