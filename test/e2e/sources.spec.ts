import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserMode, type BrowserMode } from '../../main/serve/start';
import { openStationPage, startE2eStation, type E2eStation } from './support/browserMode';

/** Issue 6, item 1: choosing the camera and its format, full screen, unplug and replug. */

const LIVE = '[data-testid="camera-status"][data-status="live"]';

/** The decoded size and the track's reported frame rate of the live preview. */
async function delivered(page: Page) {
  await page.locator(LIVE).waitFor();
  return page.getByTestId('live-preview').evaluate((video: HTMLVideoElement) => {
    const track = (video.srcObject as MediaStream).getVideoTracks()[0];
    return [video.videoWidth, video.videoHeight, track?.getSettings().frameRate];
  });
}

/** True when the preview's clock advances: frames are arriving. */
async function framesArrive(page: Page): Promise<boolean> {
  const time = () =>
    page.getByTestId('live-preview').evaluate((video: HTMLVideoElement) => video.currentTime);
  const before = await time();
  await page.waitForTimeout(400);
  return (await time()) > before;
}

/** What the station wrote to its data folder. */
function preferencesOnDisk(home: string): unknown {
  return JSON.parse(readFileSync(join(home, 'preferences', 'capture.json'), 'utf8'));
}

/** The camera's track ends, as when its USB cable is pulled. */
async function endTrack(page: Page) {
  await page.getByTestId('live-preview').evaluate((video: HTMLVideoElement) => {
    const track = (video.srcObject as MediaStream).getVideoTracks()[0];
    track?.stop();
    track?.dispatchEvent(new Event('ended'));
  });
}

describe('camera sources: choose, remember, full screen, unplug (fake camera)', () => {
  let e2e: E2eStation;
  let page: Page;
  let label: string;
  let restarted: BrowserMode | undefined;
  let restartedContext: BrowserContext | undefined;
  let firstStopped = false;

  beforeAll(async () => {
    e2e = await startE2eStation();
    page = await openStationPage(e2e);
  });
  afterAll(async () => {
    await restartedContext?.close();
    await restarted?.stop();
    await e2e?.context.close();
    await e2e?.browser.close();
    if (e2e && !firstStopped) await e2e.mode.stop();
  });

  it("lists Chromium's fake camera in the picker, the one that is live", async () => {
    const options = page.getByTestId('source-device').locator('option');
    await expect.poll(() => options.allTextContents()).toContain(e2e.y4m);
    const live = await page.getByTestId('camera-status').textContent();
    label = e2e.y4m; // the fake device is named after its file
    expect(live).toContain(label);
    expect(live).toContain('640×360');
    // General department, nothing remembered: "the best up to 1080p", which here is 640×360.
    expect(await page.getByTestId('source-resolution').inputValue()).toBe('best');
    expect(await delivered(page)).toEqual([640, 360, 30]);
    expect(await page.getByTestId('camera-delivered').count()).toBe(0);
  });

  it('applies a chosen resolution and frame rate, and the station writes them down', async () => {
    const deviceId = await page.getByTestId('source-device').inputValue();
    await page.getByTestId('source-device').selectOption(deviceId);
    await page.getByTestId('source-resolution').selectOption('320x180');
    await expect.poll(() => delivered(page)).toEqual([320, 180, 30]);
    await page.getByTestId('source-framerate').selectOption('15');
    await expect.poll(() => delivered(page)).toEqual([320, 180, 15]);
    expect(await page.getByTestId('camera-status').textContent()).toContain('320×180 · 15 fps');
    expect(await framesArrive(page)).toBe(true);
    await expect
      .poll(() => preferencesOnDisk(e2e.home))
      .toEqual({
        version: 1,
        source: { deviceId, label },
        format: { width: 320, height: 180, frameRate: 15 },
      });
  });

  it('keeps the choice across a page reload', async () => {
    await page.reload();
    expect(await delivered(page)).toEqual([320, 180, 15]);
    expect(await page.getByTestId('source-resolution').inputValue()).toBe('320x180');
    expect(await page.getByTestId('source-framerate').inputValue()).toBe('15');
  });

  it('shows the preview full screen with the button or F, and leaves with Escape', async () => {
    const fullscreenId = () =>
      page.evaluate(() => document.fullscreenElement?.getAttribute('data-testid') ?? null);
    await page.getByTestId('preview-fullscreen').click();
    await expect.poll(fullscreenId).toBe('preview-frame');
    // The label follows the page's fullscreenchange event, a moment after the element is set.
    await expect
      .poll(() => page.getByTestId('preview-fullscreen').textContent())
      .toBe('Exit full screen (Esc)');
    await page.keyboard.press('Escape');
    await expect.poll(fullscreenId).toBe(null);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('f');
    await expect.poll(fullscreenId).toBe('preview-frame');
    await page.keyboard.press('Escape');
    await expect.poll(fullscreenId).toBe(null);
  });

  it('says the camera was disconnected when its track ends, then resumes by itself', async () => {
    await page.getByTestId('worklist-row').first().click();
    expect(await page.getByTestId('capture-still').isDisabled()).toBe(false);
    await endTrack(page);
    const message = page.getByTestId('camera-disconnected');
    await message.waitFor();
    expect(await message.textContent()).toBe(
      `Camera '${label}' was disconnected — reconnect it; the preview resumes by itself.`,
    );
    expect(await page.getByTestId('capture-still').isDisabled()).toBe(true);
    await page.locator(LIVE).waitFor({ timeout: 15_000 });
    expect(await message.count()).toBe(0);
    expect(await delivered(page)).toEqual([320, 180, 15]);
    expect(await framesArrive(page)).toBe(true);
  });

  it('waits while the camera is missing from the device list and resumes when it is back', async () => {
    // Unplug: the browser stops listing the camera and fires devicechange.
    await page.evaluate(() => {
      const media = navigator.mediaDevices;
      const real = MediaDevices.prototype.enumerateDevices.bind(media);
      media.enumerateDevices = async () =>
        (await real()).filter((device) => device.kind !== 'videoinput');
      media.dispatchEvent(new Event('devicechange'));
    });
    await page.getByTestId('camera-disconnected').waitFor();
    await page.waitForTimeout(3_000); // longer than the 2 s look-again interval
    expect(await page.getByTestId('camera-status').getAttribute('data-status')).toBe(
      'disconnected',
    );
    expect(
      await page.getByTestId('live-preview').evaluate((video: HTMLVideoElement) => video.srcObject),
    ).toBeNull();
    // Replug: listed again.
    await page.evaluate(() => {
      // Drop the stub: the prototype's real enumerateDevices shows through again.
      Reflect.deleteProperty(navigator.mediaDevices, 'enumerateDevices');
      navigator.mediaDevices.dispatchEvent(new Event('devicechange'));
    });
    await page.locator(LIVE).waitFor({ timeout: 15_000 });
    expect(await delivered(page)).toEqual([320, 180, 15]);
    expect(await framesArrive(page)).toBe(true);
  });

  /** Stops whichever station runs on the data folder and starts a new one; a page on it, live. */
  async function restartStation(): Promise<Page> {
    if (restarted) {
      await restartedContext?.close();
      await restarted.stop();
    } else {
      await page.close();
      firstStopped = true;
      await e2e.mode.stop();
    }
    restarted = await startBrowserMode({
      rendererDir: resolve('out/renderer'),
      env: { CAPTURE_STATION_HOME: e2e.home },
    });
    restartedContext = await e2e.browser.newContext({ viewport: { width: 1600, height: 900 } });
    await restartedContext.grantPermissions(['camera'], { origin: restarted.server.origin });
    const again = await restartedContext.newPage();
    await again.goto(restarted.server.urlWithToken);
    return again;
  }

  it('keeps the choice across a station restart on the same data folder', async () => {
    const again = await restartStation();
    expect(await delivered(again)).toEqual([320, 180, 15]);
    expect(await again.getByTestId('source-resolution').inputValue()).toBe('320x180');
    expect(await again.getByTestId('source-framerate').inputValue()).toBe('15');
  });

  it('recognises the remembered camera by its label when its device id has changed', async () => {
    const file = join(e2e.home, 'preferences', 'capture.json');
    const saved = preferencesOnDisk(e2e.home) as { source: { deviceId: string; label: string } };
    writeFileSync(
      file,
      JSON.stringify({ ...saved, source: { ...saved.source, deviceId: 'id-before-replug' } }),
    );
    const again = await restartStation();
    expect(await delivered(again)).toEqual([320, 180, 15]);
    // (Chromium salts device ids per origin, so each restart on a new port sees a new id anyway.)
    const chosen = again.getByTestId('source-device');
    const chosenLabel = await chosen.evaluate(
      (select: HTMLSelectElement) => select.selectedOptions[0]?.text,
    );
    expect(chosenLabel).toBe(saved.source.label);
    expect(await chosen.inputValue()).not.toBe('id-before-replug');
    expect(await again.getByTestId('camera-disconnected').count()).toBe(0);
  });
});

describe('camera sources in endoscopy: 1080p30 by default, a recording survives an unplug', () => {
  let e2e: E2eStation;
  let page: Page;

  beforeAll(async () => {
    e2e = await startE2eStation({ config: { station: { department: 'endoscopy' } } });
    page = await openStationPage(e2e);
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it('asks for 1920×1080 at 30 fps and says the camera delivers 640×360', async () => {
    expect(await page.getByTestId('source-resolution').inputValue()).toBe('1920x1080');
    expect(await page.getByTestId('source-framerate').inputValue()).toBe('30');
    expect(await page.getByTestId('camera-delivered').textContent()).toBe(
      'Asked for 1920×1080 at 30 fps; the camera delivers 640×360 at 30 fps.',
    );
  });

  it('saves the recording in progress when the camera is unplugged, then resumes', async () => {
    await page.getByTestId('worklist-row').filter({ hasText: 'Colonoscopy' }).click();
    await page.getByTestId('region-select').selectOption({ label: 'Colon' });
    await page.getByTestId('record-toggle').click();
    await page.locator('[data-testid="record-status"][data-status="recording"]').waitFor();
    await page.waitForTimeout(2_500);
    await endTrack(page);
    await page.getByTestId('camera-disconnected').waitFor();
    const done = page.locator(
      '[data-testid="record-status"][data-status="saved"], [data-testid="record-status"][data-status="failed"]',
    );
    await done.first().waitFor({ timeout: 60_000 });
    // 'saved' only comes when the station wrapped a non-empty recording (an empty one is refused).
    expect(await page.getByTestId('record-status').getAttribute('data-status')).toBe('saved');
    expect(await page.getByTestId('record-status').textContent()).toMatch(/^Video saved/);
    await page.locator(LIVE).waitFor({ timeout: 15_000 });
    expect(await framesArrive(page)).toBe(true);
  });
});
