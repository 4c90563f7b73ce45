import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useArchiveSession } from './support/archiveSession';
import { openStationPage, sendReviewed, stillOutcome } from './support/browserMode';
import { instanceTags, waitForInstances } from './support/orthancStudies';

/**
 * Issue 6, item 5: review before sending. Every capture is held durably by the station; what is
 * edited in review arrives in the archive, what is deleted never does, and a restart of the
 * station lists what was not sent yet.
 */
describe('review before sending end to end: shutter → review store → Send → Orthanc', () => {
  const session = useArchiveSession({
    aeTitle: 'WOUND1',
    name: 'Wound clinic',
    department: 'woundcare',
  });
  const page = () => session.page;
  const panel = () => page().getByTestId('review-panel');
  /** Whether leaving the page now would ask first (the page's beforeunload handlers). */
  const leavingAsks = () =>
    page().evaluate(() => {
      const event = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    });
  const allSent = () =>
    expect
      .poll(() => page().getByTestId('outbox-chip').textContent(), { timeout: 30_000 })
      .toBe('all sent');

  it('sends the body site, side, notes and wound label set in review; a deleted photo never arrives', async () => {
    await page().getByTestId('worklist-row').filter({ hasText: 'Müller' }).click();
    // The shutter's default body site, as today.
    await page().getByTestId('region-select').selectOption({ label: 'Abdomen' });
    await page().getByTestId('capture-still').click();
    expect(await stillOutcome(page(), 1)).toBe('In review');
    await page().getByTestId('capture-still').click();
    expect(await stillOutcome(page(), 2)).toBe('In review');
    // Captures in review are sent only on Send: leaving the page asks first.
    expect(await leavingAsks()).toBe(true);
    expect(await page().getByTestId('capture-count').textContent()).toBe(
      '2 to review · 0 sent to the outbox',
    );

    // The newest is open: delete it (the question is answered yes).
    const questions: string[] = [];
    page().once('dialog', (dialog) => {
      questions.push(dialog.message());
      void dialog.accept();
    });
    await panel().getByTestId('review-delete').click();
    await expect.poll(() => page().getByTestId('thumbnail').count()).toBe(1);
    expect(questions[0]).toMatch(/^Delete this capture\? It has not been sent/);

    // Wound care: no Send without a body site.
    await page().getByTestId('thumbnail-open').first().click();
    await panel().getByTestId('review-region-select').selectOption('');
    expect(await page().getByTestId('review-send').isDisabled()).toBe(true);
    expect(await page().getByTestId('review-needs-region').count()).toBe(1);

    await panel().getByTestId('review-region-select').selectOption({ label: 'Foot' });
    await panel().getByTestId('review-laterality-select').selectOption('R');
    await panel().getByTestId('review-wound-label').fill('Wound A');
    await panel().getByTestId('review-notes').fill('Granulating, 2 cm × 1 cm — Müller');
    expect(await sendReviewed(page())).toEqual(['In the outbox']);
    await allSent();
    expect(await leavingAsks()).toBe(false);

    const ids = await waitForInstances(session.orthanc, 1);
    expect(ids).toHaveLength(1);
    const { tags } = await instanceTags(session.orthanc, ids[0] ?? '');
    expect(tags.SOPClassUID).toBe('1.2.840.10008.5.1.4.1.1.77.1.4');
    expect(tags.PatientID).toBe('DEMO-1002');
    expect(JSON.stringify(tags.AnatomicRegionSequence)).toContain('56459004');
    expect(tags.ImageLaterality).toBe('R');
    expect(tags.SeriesDescription).toBe('Wound A');
    expect(tags.ImageComments).toBe('Granulating, 2 cm × 1 cm — Müller');
  });

  it('lists unsent captures again after the station restarts, and sends them then', async () => {
    await page().getByTestId('capture-still').click();
    expect(await stillOutcome(page(), 2)).toBe('In review');
    await panel().getByTestId('review-notes').fill('taken before the restart');
    // The edit reaches the station shortly after typing stops.
    await page().waitForTimeout(1_000);
    await session.restart();
    // Before anyone is selected, the station names who has captures waiting.
    await expect
      .poll(() => page().getByTestId('review-elsewhere').textContent())
      .toBe(
        'Also waiting in review, not sent: Müller, Jürgen (1). Select the patient to review and send them.',
      );
    await page().getByTestId('worklist-row').filter({ hasText: 'Müller' }).click();
    const held = page().locator('[data-testid="thumbnail"][data-state="review"]');
    await held.waitFor({ timeout: 30_000 });
    expect(await held.count()).toBe(1);
    // The thumbnail is the held JPEG itself, read back from the review store.
    await expect
      .poll(() => held.locator('img').getAttribute('src'))
      .toMatch(/^data:image\/jpeg;base64,\/9j\//);
    expect(await panel().getByTestId('review-notes').inputValue()).toBe('taken before the restart');
    expect(await sendReviewed(page(), 'keyboard')).toEqual(['In the outbox']);

    const ids = await waitForInstances(session.orthanc, 2);
    expect(ids).toHaveLength(2);
    const comments = await Promise.all(
      ids.map(async (id) => (await instanceTags(session.orthanc, id)).tags.ImageComments),
    );
    expect(comments).toContain('taken before the restart');
  });

  it('keeps a second window in step: what one takes, edits, deletes or sends, the other shows', async () => {
    const other = await openStationPage(session.e2e);
    const inReview = (p: Page) => p.locator('[data-testid="thumbnail"][data-state="review"]');
    // Each window is a tab: the one in front has the camera (a hidden tab's preview pauses).
    const front = async (p: Page) => {
      await p.bringToFront();
      await p.locator('[data-testid="camera-status"][data-status="live"]').waitFor();
    };
    try {
      await front(page());
      await page().getByTestId('worklist-row').filter({ hasText: 'Müller' }).click();
      await page().getByTestId('region-select').selectOption({ label: 'Abdomen' }); // wound care
      await page().getByTestId('capture-still').click();
      await expect.poll(() => inReview(page()).count(), { timeout: 60_000 }).toBe(1);
      // The other window has selected no one: it names the patient, then shows the still.
      await expect
        .poll(() => other.getByTestId('review-elsewhere').textContent())
        .toMatch(/Müller, Jürgen \(1\)/);
      await front(other);
      await other.getByTestId('worklist-row').filter({ hasText: 'Müller' }).click();
      await expect
        .poll(() => inReview(other).locator('img').getAttribute('src'))
        .toMatch(/^data:image\/jpeg;base64,\/9j\//);

      // Notes typed here appear there once written (shortly after typing stops).
      await panel().getByTestId('review-notes').fill('seen in both windows');
      await expect
        .poll(() => other.getByTestId('review-panel').getByTestId('review-notes').inputValue())
        .toBe('seen in both windows');

      // Deleted there: gone here too.
      other.once('dialog', (dialog) => void dialog.accept());
      await other.getByTestId('review-panel').getByTestId('review-delete').click();
      await expect.poll(() => inReview(page()).count()).toBe(0);

      // Taken and sent here: there it is shown in the outbox, not left waiting in review.
      await front(page());
      await page().getByTestId('capture-still').click();
      await expect.poll(() => inReview(other).count(), { timeout: 60_000 }).toBe(1);
      expect((await sendReviewed(page())).at(-1)).toBe('In the outbox');
      await expect.poll(() => inReview(other).count()).toBe(0);
      expect(await other.getByTestId('review-elsewhere').count()).toBe(0);
    } finally {
      await other.close();
    }
  });
});

/** Dermatology: the dermoscope's optics set in review arrive in the Dermoscopic Image Module. */
describe('review of a dermoscope still end to end: optics → Orthanc', () => {
  const session = useArchiveSession({
    aeTitle: 'DERM1',
    name: 'Dermatology',
    department: 'dermatology',
  });

  it('sends polarization, contact with immersion medium and magnification as PS3.3 C.8.12.13 codes', async () => {
    const { page, orthanc } = session;
    await page.getByTestId('worklist-row').first().click();
    await page.getByTestId('dermoscope').check();
    await page.getByTestId('capture-still').click();
    expect(await stillOutcome(page)).toBe('In review');
    // Dermoscope images need a body site before Send (no default was chosen at the shutter).
    expect(await page.getByTestId('review-send').isDisabled()).toBe(true);
    expect(await page.getByTestId('review-needs-region').textContent()).toBe(
      'Choose the body site before sending: dermoscope images need it.',
    );
    await page.getByTestId('review-region-select').selectOption({ label: 'Abdomen' });
    const optics = page.getByTestId('review-dermoscopy');
    await optics.getByTestId('review-polarization').selectOption('POLARIZED');
    await optics.getByTestId('review-contact').selectOption('CONTACT');
    await optics.getByTestId('review-immersion').selectOption('ALCOHOL');
    await optics.getByTestId('review-magnification').fill('10');
    expect(await sendReviewed(page)).toEqual(['In the outbox']);

    const [id = ''] = await waitForInstances(orthanc, 1);
    // By tag: Orthanc's dictionary may predate the Dermoscopic Image Module's keywords.
    const tags = (await (
      await fetch(`${orthanc.baseUrl}/instances/${id}/tags?short`)
    ).json()) as Record<string, unknown>;
    expect(tags['0008,0016']).toBe('1.2.840.10008.5.1.4.1.1.77.1.7');
    expect(tags['0016,1001']).toBe('POLARIZED');
    expect(tags['0016,1003']).toBe('CONTACT');
    expect(tags['0016,1004']).toBe('ALCOHOL');
    expect(tags['0016,1005']).toBe('10');
  });
});
