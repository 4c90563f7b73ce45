import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { HidBackend } from '../../../main/core/hid';
import { startBrowserMode, type BrowserMode } from '../../../main/serve/start';
import { writeY4m } from '../../fixtures/makeY4m';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RENDERER_DIR = resolve('out/renderer');

export interface E2eStation {
  readonly mode: BrowserMode;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly home: string;
  readonly y4m: string;
  close(): Promise<void>;
}

/**
 * Browser mode on a fresh data folder, and Debian Chromium with its fake camera fed from a y4m
 * clip generated here, camera permission granted to the station's origin only.
 * Throws with the install command when Chromium or the built renderer is missing.
 */
/** The fake camera's clip: 640×360 at 30 fps, two seconds, looping. */
export const CAMERA = { width: 640, height: 360, fps: 30, frames: 60 } as const;

export interface E2eOptions {
  readonly config?: unknown;
  readonly stillScene?: boolean;
  readonly hid?: HidBackend;
  /** An existing data folder: a restart of the station that used it. Default: a new one. */
  readonly home?: string;
  /** A clip to feed the fake camera instead of the generated 640×360 one (e.g. 1080p). */
  readonly y4m?: string;
}

export async function startE2eStation(options: E2eOptions = {}): Promise<E2eStation> {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: run \`apt-get install -y chromium\``);
  if (!existsSync(join(RENDERER_DIR, 'index.html')))
    throw new Error('renderer not built: run `npm run build`');
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'cs-e2e-'));
  if (options.config !== undefined)
    writeFileSync(join(home, 'config.json'), JSON.stringify(options.config));
  const y4m = options.y4m ?? join(home, 'camera.y4m');
  if (!options.y4m) await writeY4m(y4m, { ...CAMERA, moving: options.stillScene !== true });
  const mode = await startBrowserMode({
    rendererDir: RENDERER_DIR,
    env: { CAPTURE_STATION_HOME: home },
    ...(options.hid ? { hid: options.hid } : {}),
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${y4m}`,
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-gpu',
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
  await context.grantPermissions(['camera'], { origin: mode.server.origin });
  return {
    mode,
    browser,
    context,
    home,
    y4m,
    async close() {
      await context.close();
      await browser.close();
      await mode.stop();
    },
  };
}

/** A new page on the station, signed in with the printed URL, once the camera shows a picture. */
export async function openStationPage(e2e: E2eStation): Promise<Page> {
  const page = await e2e.context.newPage();
  await page.goto(e2e.mode.server.urlWithToken);
  await page.locator('[data-testid="camera-status"][data-status="live"]').waitFor();
  return page;
}

/**
 * Waits for the outcome of capture number `nth` (1-based, default the first) of the strip and
 * returns its text: 'In review' once the station holds it durably, or the error.
 */
export async function stillOutcome(page: Page, nth = 1): Promise<string | null> {
  const error = page.getByTestId('capture-error');
  // The first still also loads the image and DICOM libraries: allow for a busy machine.
  await waitUntil(async () => {
    const states = await page
      .getByTestId('thumbnail')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-state')));
    return (states.length >= nth && states[nth - 1] !== 'saving') || (await error.count()) > 0;
  }, 60_000);
  if ((await error.count()) > 0) return error.textContent();
  return page
    .getByTestId('thumbnail-state')
    .nth(nth - 1)
    .textContent();
}

/**
 * Presses Send in the review strip (or Ctrl+Enter) and waits until every capture that was in
 * review is sent or reports why not; returns each capture's state text ('In the outbox').
 */
export async function sendReviewed(page: Page, how: 'click' | 'keyboard' = 'click') {
  // One atomic read of every thumbnail: state, and whether it reports an error.
  const states = () =>
    page
      .getByTestId('thumbnail')
      .evaluateAll((items) =>
        items.map(
          (item) =>
            `${item.getAttribute('data-state')}${item.hasAttribute('data-error') ? '!' : ''}`,
        ),
      );
  const before = (await states()).filter((s) => s === 'review').length;
  if (how === 'click') await page.getByTestId('review-send').click();
  else await page.keyboard.press('Control+Enter');
  await waitUntil(async () => {
    const now = await states();
    if (now.some((s) => s.startsWith('sending'))) return false;
    return now.filter((s) => s === 'review').length < before || now.includes('review!');
  }, 60_000);
  return page.getByTestId('thumbnail-state').allTextContents();
}

async function waitUntil(done: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`still waiting after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
