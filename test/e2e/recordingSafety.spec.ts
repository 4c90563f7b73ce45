import type { Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eStation, type E2eStation } from './support/browserMode';
import { scanWristband } from './support/scanner';

/**
 * A recording is never put at risk by what happens around it (capture-flow review, 2024): the
 * patient cannot change under it, a chunk the station did not take neither stops the recording
 * silently nor keeps the rest from reaching review, and a double press opens one recording.
 * Between the page and the station sits a WebSocket route that counts calls and can make
 * `appendRecording` fail, as a full disk or a busy station would.
 */
describe('recording safety: patient held, failed chunks retried and reported, one recording', () => {
  let e2e: E2eStation;
  let page: Page;
  const calls: string[] = [];
  let failAppends: string | undefined;
  /** A worklist query for this Patient ID is answered this late (a slow worklist server). */
  let slowQuery: { patientId: string; ms: number } | undefined;

  beforeAll(async () => {
    e2e = await startE2eStation({ config: { station: { department: 'endoscopy' } } });
    page = await e2e.context.newPage();
    await page.routeWebSocket(/\/api\/ws/, (ws: WebSocketRoute) => {
      const server = ws.connectToServer();
      ws.onMessage((data) => {
        const call = JSON.parse(String(data)) as { id: number; method: string; payload?: unknown };
        calls.push(call.method);
        const query = call.payload as { patientId?: string } | undefined;
        if (call.method === 'queryWorklist' && slowQuery?.patientId === query?.patientId) {
          setTimeout(() => server.send(data), slowQuery?.ms);
        } else if (call.method === 'appendRecording' && failAppends) {
          const error = { code: 'failed', message: failAppends };
          ws.send(JSON.stringify({ type: 'result', id: call.id, ok: false, error }));
        } else server.send(data);
      });
    });
    await page.goto(e2e.mode.server.urlWithToken);
    await page.locator('[data-testid="camera-status"][data-status="live"]').waitFor();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  const banner = () => page.getByTestId('patient-banner-name').textContent();
  const status = () => page.getByTestId('record-status').getAttribute('data-status');
  const recordFor = async (procedure: string) => {
    await page.getByTestId('worklist-row').filter({ hasText: procedure }).click();
    await page.getByTestId('region-select').selectOption({ label: 'Colon' });
    await page.getByTestId('record-toggle').click();
    await page.locator('[data-testid="record-status"][data-status="recording"]').waitFor();
  };
  const stopAndWait = async () => {
    await page.getByTestId('record-toggle').click();
    await expect.poll(status, { timeout: 60_000 }).toMatch(/^(saved|failed)$/);
  };

  it('refuses another patient while recording (row or wristband), naming who is recorded', async () => {
    await recordFor('Colonoscopy');
    expect(await banner()).toBe('Demo, Alice');
    await page.getByTestId('worklist-row').filter({ hasText: 'Gastroscopy' }).click();
    expect(await page.getByTestId('worklist-notice').textContent()).toMatch(
      /^Stop the recording of Demo, Alice first/,
    );
    expect(await banner()).toBe('Demo, Alice');
    // The patient being recorded may be chosen again: that clears the notice.
    await page.getByTestId('worklist-row').filter({ hasText: 'Colonoscopy' }).click();
    expect(await page.getByTestId('worklist-notice').count()).toBe(0);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await scanWristband(page, 'DEMO-1004');
    await expect
      .poll(() => page.getByTestId('worklist-notice').textContent())
      .toMatch(/^Stop the recording of Demo, Alice first/);
    expect(await banner()).toBe('Demo, Alice');
    // Not stopped for the person: still recording.
    expect(await status()).toBe('recording');
    await stopAndWait();
    expect(await status()).toBe('saved');
    // Stopped and saved: switching is allowed again (asking first: the video waits in review).
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByTestId('worklist-row').filter({ hasText: 'Gastroscopy' }).click();
    await expect.poll(banner).toBe('Papadopoulou, Eleni');
  });

  it('says at once when chunks are not saved, retries them, and the whole video reaches review', async () => {
    await recordFor('Colonoscopy');
    await page.waitForTimeout(1_500);
    failAppends = 'disk full (test)';
    const alert = page.getByTestId('record-chunk-error');
    await alert.waitFor({ timeout: 10_000 });
    expect(await alert.textContent()).toContain(
      'Video chunks are not being saved: disk full (test)',
    );
    // Still recording, the clock running: the next chunk retries the failed one.
    expect(await status()).toBe('recording');
    failAppends = undefined;
    await alert.waitFor({ state: 'detached', timeout: 10_000 });
    await stopAndWait();
    expect(await page.getByTestId('record-status').textContent()).toBe(
      'Video saved: review it below, then Send',
    );
  });

  it('on Stop finishes with what was written when the last chunks cannot be saved, and says so', async () => {
    const before = await page.locator('[data-testid="thumbnail"][data-medium="video"]').count();
    calls.length = 0;
    await recordFor('Colonoscopy');
    // Some of the recording reaches the station first.
    const appends = () => calls.filter((method) => method === 'appendRecording').length;
    await expect.poll(appends, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    failAppends = 'station busy (test)';
    await page.getByTestId('record-chunk-error').waitFor({ timeout: 10_000 });
    await stopAndWait();
    failAppends = undefined;
    expect(calls).toContain('finishRecording');
    expect(await page.getByTestId('record-status').textContent()).toMatch(/^Video saved/);
    expect(await page.getByTestId('record-warning').textContent()).toMatch(
      /The last \d+ s of the video could not be saved \(station busy \(test\)\)/,
    );
    await expect
      .poll(() => page.locator('[data-testid="thumbnail"][data-medium="video"]').count())
      .toBe(before + 1);
  });

  it('opens one recording for a double press of R', async () => {
    await page.getByTestId('worklist-row').filter({ hasText: 'Colonoscopy' }).click();
    await page.getByTestId('region-select').selectOption({ label: 'Colon' });
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    calls.length = 0;
    // Both presses in one task: the second lands before the station answers the first.
    await page.evaluate(() => {
      for (let i = 0; i < 2; i++)
        document.body.dispatchEvent(
          new KeyboardEvent('keydown', { key: 'r', bubbles: true, cancelable: true }),
        );
    });
    await page.locator('[data-testid="record-status"][data-status="recording"]').waitFor();
    await page.waitForTimeout(1_500);
    expect(calls.filter((method) => method === 'startRecording')).toHaveLength(1);
    expect(await status()).toBe('recording');
    await stopAndWait();
    expect(await status()).toBe('saved');
  });

  it('keeps a patient chosen by hand when a slow wristband answer comes in after', async () => {
    page.on('dialog', (dialog) => void dialog.accept());
    await page.getByTestId('worklist-row').filter({ hasText: 'Colonoscopy' }).click();
    await expect.poll(banner).toBe('Demo, Alice');
    slowQuery = { patientId: 'DEMO-1004', ms: 4_000 };
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await scanWristband(page, 'DEMO-1004');
    // Meanwhile the nurse chooses Müller by hand (not on the endoscopy list: unscheduled).
    await page.getByTestId('unscheduled-open').click();
    await page.getByTestId('unscheduled-search').fill('Müller');
    await page.getByTestId('unscheduled-search').press('Enter');
    await page.getByTestId('unscheduled-use').first().click();
    await expect.poll(banner).toBe('Müller, Jürgen');
    await expect
      .poll(() => page.getByTestId('worklist-notice').textContent(), { timeout: 15_000 })
      .toMatch(/^The wristband scan of DEMO-1004 was answered after a patient was chosen by hand/);
    expect(await banner()).toBe('Müller, Jürgen');
    slowQuery = undefined;
  });
});
