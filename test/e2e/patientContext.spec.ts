import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayAsDicomDate } from '../../main/core/worklist/WorklistSource';
import { DEMO_STATION_AET, demoWorklistItems } from '../fixtures/worklist/demoWorklist';
import {
  runTool,
  startWorklistServer,
  writeWorklistFolder,
  type WorklistServer,
} from '../services';
import { startE2eStation, type E2eStation } from './support/browserMode';
import { scanWristband } from './support/scanner';

/** Issue 5: the right patient, every time — against a real worklist server (wlmscpfs). */
describe('patient context in browser mode against wlmscpfs', () => {
  let worklist: WorklistServer;
  let e2e: E2eStation;
  let page: Page;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-e2e-wl-'));
    const today = todayAsDicomDate();
    await writeWorklistFolder(
      dir,
      'WL',
      demoWorklistItems.map((item) => ({ ...item, ScheduledProcedureStepStartDate: today })),
    );
    worklist = await startWorklistServer({ worklistDir: dir, aet: 'WL' });
    e2e = await startE2eStation({
      config: {
        station: { aeTitle: DEMO_STATION_AET, name: 'Endo room 2', department: 'general' },
        worklist: { host: '127.0.0.1', port: worklist.port, calledAeTitle: 'WL' },
      },
    });
    page = await e2e.context.newPage();
    await page.goto(e2e.mode.server.urlWithToken);
    await page.locator('[data-testid="camera-status"][data-status="live"]').waitFor();
  });
  afterAll(async () => {
    await e2e?.close();
    await worklist?.stop();
  });

  const banner = () => page.getByTestId('patient-banner-name').textContent();
  const captures = () => {
    try {
      return readdirSync(join(e2e.home, 'captures'));
    } catch {
      return [];
    }
  };

  it('shows the real worklist, without the DEMO label, non-ASCII names as written', async () => {
    await expect
      .poll(() => page.getByTestId('worklist-row').count())
      .toBe(demoWorklistItems.length);
    expect(await page.getByTestId('worklist-demo-badge').count()).toBe(0);
    const names = await page.getByTestId('worklist-name').allTextContents();
    expect(names).toContain('Müller, Jürgen');
    expect(names).toContain('Yamada, Tarou (山田, 太郎 / やまだ, たろう)');
  });

  it('keeps the shutter off until a patient is chosen, then binds the photo to them', async () => {
    expect(await page.getByTestId('capture-still').isDisabled()).toBe(true);
    await page.getByTestId('worklist-row').filter({ hasText: 'Müller' }).click();
    expect(await banner()).toBe('Müller, Jürgen');
    await page.getByTestId('capture-still').click();
    // The first still also loads the image and DICOM libraries: allow for a busy machine.
    await page
      .locator('[data-testid="thumbnail"]:not([data-state="saving"])')
      .waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('thumbnail').first().textContent()).toBe('Saved');
    const [file] = captures();
    expect(file).toBeDefined();
    const dump = (
      await runTool('dcmdump', ['+U8', join(e2e.home, 'captures', file ?? '')])
    ).stdout.toString('utf8');
    expect(dump).toContain('Müller^Jürgen');
    expect(dump).toContain(demoWorklistItems[0]?.StudyInstanceUID ?? 'missing');
    expect(dump).toContain(demoWorklistItems[0]?.AccessionNumber ?? 'missing');
  });

  it('selects the patient from a wristband scan (a keyboard-wedge burst), asking first when photos exist', async () => {
    const questions: string[] = [];
    page.once('dialog', (dialog) => {
      questions.push(dialog.message());
      void dialog.accept();
    });
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await scanWristband(page, 'PID-100871');
    await expect.poll(banner).toBe('Yamada, Tarou (山田, 太郎 / やまだ, たろう)');
    expect(questions).toHaveLength(1);
    expect(questions[0]).toMatch(/1 photo\(s\) of Müller, Jürgen stay with Müller, Jürgen/);
  });

  it('says plainly when a scanned ID is on nobody, with the search pre-filled', async () => {
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await scanWristband(page, 'PID-999999');
    await page.getByTestId('worklist-notice').waitFor();
    expect(await page.getByTestId('worklist-notice').textContent()).toContain(
      'No patient with ID PID-999999',
    );
    expect(await page.getByTestId('worklist-search').inputValue()).toBe('PID-999999');
    expect(await banner()).toBe('Yamada, Tarou (山田, 太郎 / やまだ, たろう)');
    await page.getByTestId('worklist-search').fill('');
  });

  it('captures unscheduled: the same patient, a new study, no accession', async () => {
    await page.getByTestId('unscheduled-open').click();
    await page.getByTestId('unscheduled-search').fill('Müller');
    await page.getByTestId('unscheduled-search').press('Enter');
    await page.getByTestId('unscheduled-use').first().click();
    await expect.poll(banner).toBe('Müller, Jürgen');
    const before = captures().length;
    await page.keyboard.press('Space');
    await expect.poll(() => captures().length).toBe(before + 1);
    const newest = captures().find((f) => !f.startsWith('.')) ?? '';
    const files = captures();
    const dumps = await Promise.all(
      files.map(async (f) =>
        (await runTool('dcmdump', ['+U8', join(e2e.home, 'captures', f)])).stdout.toString('utf8'),
      ),
    );
    const unscheduled = dumps.filter(
      (d) => !d.includes(demoWorklistItems[0]?.StudyInstanceUID ?? 'missing'),
    );
    expect(newest).not.toBe('');
    expect(unscheduled).toHaveLength(1);
    expect(unscheduled[0]).toContain('Müller^Jürgen');
    expect(unscheduled[0]).toContain('PID-100234');
    expect(unscheduled[0]).toMatch(/\(0008,0050\) SH \(no value available\)|\(0008,0050\) SH \[\]/);
  });
});
