import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayAsDicomDate } from '../../main/core/worklist/WorklistSource';
import { DEMO_STATION_AET, demoWorklistItems } from '../fixtures/worklist/demoWorklist';
import {
  freePort,
  startOrthanc,
  startWorklistServer,
  writeWorklistFolder,
  type Orthanc,
  type WorklistServer,
} from '../services';
import {
  openStationPage,
  sendReviewed,
  startE2eStation,
  stillOutcome,
  type E2eStation,
} from './support/browserMode';
import { studiesOf } from './support/orthancStudies';
import { scanWristband } from './support/scanner';

const MULLER = demoWorklistItems[0];
const YAMADA_SHOWN = 'Yamada, Tarou (山田, 太郎 / やまだ, たろう)';

/**
 * Issue 5 "Done when": the right patient, every time — a real worklist server (wlmscpfs), the
 * real renderer in Chromium with the fake camera, and Orthanc as the archive the outbox sends to.
 */
describe('patient context end to end: wlmscpfs → Chromium → Orthanc', () => {
  let worklist: WorklistServer;
  let orthanc: Orthanc;
  let e2e: E2eStation;
  let page: Page;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-e2e-wl-'));
    const today = todayAsDicomDate();
    const items = demoWorklistItems.map((item) => ({
      ...item,
      ScheduledProcedureStepStartDate: today,
    }));
    await writeWorklistFolder(dir, 'WL', items);
    worklist = await startWorklistServer({ worklistDir: dir, aet: 'WL' });
    // The archive knows the station as a modality so it can send storage-commitment reports.
    const scpPort = await freePort();
    orthanc = await startOrthanc({
      modalities: { station: { aet: DEMO_STATION_AET, host: '127.0.0.1', port: scpPort } },
    });
    e2e = await startE2eStation({
      config: {
        station: { aeTitle: DEMO_STATION_AET, name: 'Endo room 2', department: 'general', scpPort },
        worklist: { host: '127.0.0.1', port: worklist.port, calledAeTitle: 'WL' },
        destinations: {
          pacs: {
            type: 'dimse',
            host: '127.0.0.1',
            port: orthanc.dicomPort,
            calledAeTitle: orthanc.aet,
            commit: true,
          },
        },
      },
    });
    page = await openStationPage(e2e);
  });
  afterAll(async () => {
    await e2e?.close();
    await worklist?.stop();
    await orthanc?.stop({ graceMs: 0 });
  });

  const banner = () => page.getByTestId('patient-banner-name').textContent();
  const instancesOfMuller = async () =>
    (await studiesOf(orthanc, 'PID-100234')).map((s) => s.instances);

  it('shows the real worklist, without the DEMO label, non-ASCII names as written', async () => {
    await expect
      .poll(() => page.getByTestId('worklist-row').count())
      .toBe(demoWorklistItems.length);
    expect(await page.getByTestId('worklist-demo-badge').count()).toBe(0);
    const names = await page.getByTestId('worklist-name').allTextContents();
    expect(names).toContain('Müller, Jürgen');
    expect(names).toContain(YAMADA_SHOWN);
  });

  it('keeps the shutter off until a patient is chosen; the photo reaches Orthanc in their study', async () => {
    expect(await page.getByTestId('capture-still').isDisabled()).toBe(true);
    await page.getByTestId('worklist-row').filter({ hasText: 'Müller' }).click();
    expect(await banner()).toBe('Müller, Jürgen');
    await page.getByTestId('capture-still').click();
    expect(await stillOutcome(page)).toBe('In review');
    expect(await instancesOfMuller()).toEqual([]);
    expect(await sendReviewed(page)).toEqual(['In the outbox']);
    await expect.poll(instancesOfMuller, { timeout: 30_000 }).toEqual([1]);
    const [study] = await studiesOf(orthanc, 'PID-100234');
    expect(study).toMatchObject({
      studyInstanceUid: MULLER?.StudyInstanceUID,
      accessionNumber: MULLER?.AccessionNumber,
      patientName: 'Müller^Jürgen',
    });
    await expect
      .poll(() => page.getByTestId('outbox-chip').textContent(), { timeout: 30_000 })
      .toBe('all sent');
    await page.getByTestId('outbox-chip').click();
    const destinations = await page.getByTestId('outbox-destination').allTextContents();
    expect(destinations).toHaveLength(1);
    // Storage commitment: the archive confirmed it holds the image (PS3.4 J).
    expect(destinations[0]).toMatch(/^pacs.*1 committed/);
    await page.getByRole('button', { name: 'Close' }).click();
    expect(await page.getByTestId('outbox-view').count()).toBe(0);
  });

  it('selects the patient from a wristband scan (a keyboard-wedge burst), asking first when captures are unsent', async () => {
    // One more photo of Müller, left in review (the one sent before does not count).
    await page.getByTestId('capture-still').click();
    expect(await stillOutcome(page, 2)).toBe('In review');
    const questions: string[] = [];
    page.once('dialog', (dialog) => {
      questions.push(dialog.message());
      void dialog.accept();
    });
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await scanWristband(page, 'PID-100871');
    await expect.poll(banner).toBe(YAMADA_SHOWN);
    expect(questions).toHaveLength(1);
    expect(questions[0]).toMatch(
      /^1 unsent capture\(s\) of Müller, Jürgen stay in review for Müller, Jürgen/,
    );
  });

  it('says plainly when a scanned ID is on nobody, with the search pre-filled', async () => {
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await scanWristband(page, 'PID-999999');
    await page.getByTestId('worklist-notice').waitFor();
    expect(await page.getByTestId('worklist-notice').textContent()).toContain(
      'No patient with ID PID-999999',
    );
    expect(await page.getByTestId('worklist-search').inputValue()).toBe('PID-999999');
    expect(await banner()).toBe(YAMADA_SHOWN);
    await page.getByTestId('worklist-search').fill('');
  });

  it('captures unscheduled: the same patient, a new study without accession, in Orthanc', async () => {
    await page.getByTestId('unscheduled-open').click();
    await page.getByTestId('unscheduled-search').fill('Müller');
    await page.getByTestId('unscheduled-search').press('Enter');
    await page.getByTestId('unscheduled-use').first().click();
    await expect.poll(banner).toBe('Müller, Jürgen');
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Space');
    expect(await stillOutcome(page)).toBe('In review');
    // Ctrl+Enter sends what is in review for the patient on screen (this new study only).
    expect(await sendReviewed(page, 'keyboard')).toEqual(['In the outbox']);
    await expect.poll(async () => (await instancesOfMuller()).length, { timeout: 30_000 }).toBe(2);
    const studies = await studiesOf(orthanc, 'PID-100234');
    const unscheduled = studies.filter((s) => s.studyInstanceUid !== MULLER?.StudyInstanceUID);
    expect(unscheduled).toHaveLength(1);
    expect(unscheduled[0]).toMatchObject({
      accessionNumber: '',
      patientName: 'Müller^Jürgen',
      instances: 1,
    });
    expect(unscheduled[0]?.studyInstanceUid).toMatch(/^2\.25\.\d+$/);
  });
});
