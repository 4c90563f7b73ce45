/**
 * Issue 8 end to end: a patient disc built with DCMTK (dump2dcm + dcmmkdir) plus an outside PDF,
 * imported through the real import screen in Chromium: Import folder → the browser shows the
 * patient, studies, a decoded preview and the PDF → the local patient chosen from the demo
 * worklist → the birth-date mismatch confirmed side by side → Send → progress → closing report,
 * and Orthanc holds the images and the PDF under the local patient's ID.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  makeDicomdir,
  multiPatientInstances,
  OUTSIDE_PDF,
  writeDiscInstance,
} from '../integration/media-import/buildDisc';
import { useArchiveSession } from './support/archiveSession';
import { studiesOf } from './support/orthancStudies';
import { scanWristband } from './support/scanner';

describe('patient disc import in the browser', () => {
  const session = useArchiveSession({ aeTitle: 'CAPTURE1', name: 'Import desk' });

  it('imports a disc to the local patient chosen from the worklist, after confirmation', async () => {
    const { page, orthanc, e2e } = session;
    // Müller^Otto, born 1970: four images in two studies; the demo worklist has Müller^Jürgen, 1945.
    const disc = join(e2e.home, 'disc');
    for (const i of multiPatientInstances().slice(0, 4)) await writeDiscInstance(disc, i);
    await makeDicomdir(disc);
    await mkdir(join(disc, 'REPORTS'));
    await writeFile(join(disc, 'REPORTS', 'LETTER.PDF'), OUTSIDE_PDF);

    await page.getByTestId('import-open').click();
    await page.getByTestId('import-folder-path').fill('relative/disc');
    await page.getByTestId('import-folder-open').click();
    await expect
      .poll(() => page.getByTestId('import-error').textContent())
      .toMatch(/must be an absolute path/);
    // "Browse…" instead of typing: start at the disc's parent, step into the disc, import it.
    await page.getByTestId('import-folder-path').fill(e2e.home);
    await page.getByTestId('import-folder-browse').click();
    const folders = page.getByTestId('folder-browser-folder');
    await expect.poll(() => folders.allTextContents()).toContain('📁 disc');
    await folders.filter({ hasText: /^📁 disc$/ }).click();
    await expect.poll(() => page.getByTestId('folder-browser-path').textContent()).toBe(disc);
    await expect.poll(() => folders.allTextContents()).toContain('📁 REPORTS');
    await page.getByTestId('folder-browser-use').click();

    const browser = page.getByTestId('import-browser');
    await browser.waitFor();
    expect(await page.getByTestId('import-outside-name').allTextContents()).toEqual([
      'Müller^Otto',
    ]);
    expect(await page.getByTestId('import-study-count').allTextContents()).toEqual(['3', '1']);
    expect(await page.getByTestId('import-pdf-path').allTextContents()).toEqual([
      'REPORTS/LETTER.PDF',
    ]);
    // The preview is a decoded JPEG of the disc's 16×16 image, not a placeholder.
    const thumbnail = page.getByTestId('import-thumbnail').first();
    await thumbnail.waitFor();
    await expect
      .poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBe(16);

    await page.getByTestId('import-choose-patient').click();
    const chooser = page.getByTestId('import-chooser');
    // A wristband nobody on the worklist wears: said so, nobody chosen.
    await scanWristband(page, 'DEMO-9999');
    await expect
      .poll(() => chooser.getByTestId('worklist-notice').textContent())
      .toBe('No patient with this ID on the worklist: DEMO-9999');
    await chooser.getByTestId('worklist-search').fill('Müller');
    const row = chooser.getByTestId('worklist-row');
    await expect.poll(() => row.count()).toBe(1);
    await row.click();
    await expect
      .poll(() => page.getByTestId('import-local-patient').textContent())
      .toMatch(/MÜLLER|Müller.*DEMO-1002/);
    await page.getByTestId('import-accession').fill('IMP-77');
    await page.getByTestId('import-pdf-study').selectOption({ index: 1 }); // the first study of the disc

    await page.getByTestId('import-send').click();
    const mismatch = page.getByTestId('import-mismatch');
    await mismatch.waitFor();
    expect(await mismatch.getByTestId('import-mismatch-outside').allTextContents()).toEqual([
      '1970-01-01',
    ]);
    expect(await mismatch.getByTestId('import-mismatch-local').allTextContents()).toEqual([
      '1945-07-21',
    ]);
    await page.getByTestId('import-mismatch-confirm').click();

    await page.getByTestId('import-progress-bar').waitFor();
    const report = page.getByTestId('import-report');
    await report.waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('import-progress-bar').getAttribute('data-phase')).toBe('done');
    expect(await page.getByTestId('import-count-imported').textContent()).toMatch(/^5 /);
    expect(await page.getByTestId('import-count-sent').textContent()).toMatch(/^5 /);
    expect(await page.getByTestId('import-count-skipped').textContent()).toMatch(/^0 /);

    const studies = await studiesOf(orthanc, 'DEMO-1002');
    expect(studies.map((s) => [s.patientName, s.accessionNumber, s.instances]).sort()).toEqual([
      ['Müller^Jürgen', 'IMP-77', 1],
      ['Müller^Jürgen', 'IMP-77', 4],
    ]);
  });
});
