import { describe, expect, it } from 'vitest';
import { useArchiveSession } from './support/archiveSession';
import { sendReviewed, stillOutcome } from './support/browserMode';
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
});
