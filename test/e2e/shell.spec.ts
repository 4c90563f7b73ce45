import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startE2eStation, stillOutcome, type E2eStation } from './support/browserMode';

/** Issue 2 "Done when": browser mode shows the shell — DEMO worklist, empty banner, live camera. */
describe('station shell in browser mode (Debian Chromium, fake camera)', () => {
  let e2e: E2eStation;
  let page: Page;

  beforeAll(async () => {
    e2e = await startE2eStation();
    page = await e2e.context.newPage();
    await page.goto(e2e.mode.server.urlWithToken);
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it('drops the token from the address bar after the first load', () => {
    expect(page.url()).toBe(`${e2e.mode.server.origin}/`);
  });

  it('shows the DEMO worklist, with non-ASCII names rendered as written', async () => {
    await page.getByTestId('worklist-demo-badge').waitFor();
    await expect.poll(() => page.getByTestId('worklist-row').count()).toBe(4);
    const names = await page.getByTestId('worklist-name').allTextContents();
    expect(names).toContain('Müller, Jürgen');
    expect(names).toContain('Yamada, Tarou (山田, 太郎 / やまだ, たろう)');
    expect(await page.getByTestId('destination-demo-badge').textContent()).toContain('DEMO');
  });

  it('starts with an empty patient banner', async () => {
    expect(await page.getByTestId('patient-banner-name').textContent()).toBe('No patient selected');
  });

  it('shows the live camera with moving frames from the fake device', async () => {
    await page.locator('[data-testid="camera-status"][data-status="live"]').waitFor();
    const size = await page
      .getByTestId('live-preview')
      .evaluate((video: HTMLVideoElement) => [video.videoWidth, video.videoHeight]);
    expect(size).toEqual([640, 360]);
    const first = await centreStripe(page);
    await page.waitForTimeout(500);
    const later = await centreStripe(page);
    expect(first.some((v) => v > 0)).toBe(true);
    expect(later).not.toEqual(first);
  });

  it('selects a patient with the keyboard and shows them in the banner', async () => {
    await page.keyboard.press('/');
    // At a person's pace: a burst of keys ending in Enter within the scanner's key interval
    // (35 ms) is a wristband scan (useBarcodeWedge), and a fast run could end in one.
    await page.keyboard.type('muller', { delay: 80 });
    await expect.poll(() => page.getByTestId('worklist-row').count()).toBe(1);
    await page.getByTestId('worklist-row').first().focus();
    await page.keyboard.press('Enter');
    // The choice goes to the station and back before the banner shows it.
    await expect
      .poll(() => page.getByTestId('patient-banner-name').textContent())
      .toBe('Müller, Jürgen');
    expect(await page.getByTestId('patient-banner-id').textContent()).toBe('DEMO-1002');
  });

  it('gives Space to an open dialog, never to the camera behind it; Escape closes it', async () => {
    const spaceOnPage = async () => {
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.keyboard.press('Space');
    };
    await page.getByTestId('pedals-open').click();
    await page.getByTestId('pedal-settings').waitFor();
    await spaceOnPage();
    await page.waitForTimeout(700);
    expect(await page.getByTestId('thumbnail').count()).toBe(0);
    // Escape inside a dialog does what its Close button does.
    await page.getByTestId('learn-still').focus();
    await page.keyboard.press('Escape');
    await page.getByTestId('pedal-settings').waitFor({ state: 'detached' });
    await spaceOnPage();
    expect(await stillOutcome(page)).toBe('In review');
  });

  it('gives 401 and no data to a client without the token', async () => {
    const anonymous = await e2e.browser.newContext();
    const response = await anonymous.request.get(`${e2e.mode.server.origin}/`);
    expect(response.status()).toBe(401);
    expect(await response.text()).not.toContain('<div id="root">');
    await anonymous.close();
  });
});

/** Luma-ish values along the preview's middle row: the moving square changes them frame to frame. */
function centreStripe(page: Page): Promise<number[]> {
  return page.getByTestId('live-preview').evaluate((video: HTMLVideoElement) => {
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const ctx = canvas.getContext('2d');
    if (!ctx) return [];
    ctx.drawImage(video, 0, 0);
    const row = ctx.getImageData(0, Math.floor(canvas.height / 2), canvas.width, 1).data;
    const values: number[] = [];
    for (let x = 0; x < canvas.width; x += 16) values.push(row[x * 4] ?? 0);
    return values;
  });
}
