/**
 * Issue 8 end to end: a patient disc built with DCMTK (dump2dcm + dcmmkdir) plus an outside PDF,
 * imported through the real import screen in Chromium: Import folder → the browser shows the
 * patients, studies, a decoded preview and the PDF → the local patient chosen from the demo
 * worklist → the given-name and birth-date mismatch confirmed side by side → a changed local
 * patient asked about again → Send → progress → closing report, and Orthanc holds the images and
 * the PDF under the local patient's ID (the disc's second patient, left unassigned, is not sent).
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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
    const { page, orthanc } = session;
    // Müller^Otto, born 1970: four images in two studies; the demo worklist has Müller^Jürgen, 1945.
    // Ñúñez^Ana: three images in one study, given no local patient.
    // Not in the station's data folder (CAPTURE_STATION_HOME), which is refused as a medium.
    const discParent = await mkdtemp(join(tmpdir(), 'cs-e2e-disc-'));
    const disc = join(discParent, 'disc');
    for (const i of multiPatientInstances()) await writeDiscInstance(disc, i);
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
    await page.getByTestId('import-folder-path').fill(discParent);
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
      'Müller, Otto',
      'Ñúñez, Ana',
    ]);
    expect(await page.getByTestId('import-study-count').allTextContents()).toEqual(['3', '1', '3']);
    expect(await page.getByTestId('import-pdf-path').allTextContents()).toEqual([
      'REPORTS/LETTER.PDF',
    ]);
    // The preview is a decoded JPEG of the disc's 16×16 image, not a placeholder.
    const thumbnail = page.getByTestId('import-thumbnail').first();
    await thumbnail.waitFor();
    await expect
      .poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBe(16);

    await page.getByTestId('import-choose-patient').first().click();
    const chooser = page.getByTestId('import-chooser');
    // A typed ID with a wildcard would match other patients: refused, nobody chosen.
    await chooser.getByTestId('import-patient-id').fill('DEMO-100*');
    await chooser.getByTestId('import-patient-id').press('Enter');
    await expect
      .poll(() => chooser.getByTestId('worklist-notice').textContent())
      .toMatch(/cannot contain \*, \? or .*DEMO-100\*$/);
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
    expect(await page.getByTestId('import-unassigned').textContent()).toMatch(
      /^1 patient on this disc will not be imported/,
    );
    // The PDF into Ñúñez's study, whose patient is not assigned: the station refuses the start.
    await page.getByTestId('import-pdf-study').selectOption({ index: 3 });

    const mismatch = page.getByTestId('import-mismatch');
    const shown = async (testId: string) => mismatch.getByTestId(testId).allTextContents();
    await page.getByTestId('import-send').click();
    await mismatch.waitFor();
    // Same family name, another given name (and birth date): asked, both sides shown.
    expect(await shown('import-mismatch-outside')).toEqual(['Müller, Otto', '1970-01-01']);
    expect(await shown('import-mismatch-local')).toEqual(['Müller, Jürgen', '1945-07-21']);
    expect(await shown('import-mismatch-attributes')).toEqual([
      ' (given name differs)',
      ' (birth date differs)',
    ]);
    // The question holds the keyboard: Cancel has focus, so Enter cannot re-run Import behind it.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'import-mismatch-cancel',
    );
    await page.getByTestId('import-mismatch-confirm').click();
    await expect
      .poll(() => page.getByTestId('import-error').textContent())
      .toMatch(/LETTER\.PDF: its study's patient has no local patient chosen/);

    // Confirmed for Müller^Jürgen; another local patient chosen now is asked about again.
    await page.getByTestId('import-change-patient').click();
    await page.getByTestId('import-choose-patient').first().click();
    await chooser.getByTestId('worklist-search').fill('Alice');
    await expect.poll(() => row.count()).toBe(1);
    await row.click();
    await page.getByTestId('import-send').click();
    await mismatch.waitFor();
    expect(await shown('import-mismatch-local')).toEqual(['Demo, Alice', '1958-03-12', 'F']);
    await page.getByTestId('import-mismatch-cancel').click();
    await mismatch.waitFor({ state: 'detached' });

    // Back to Müller^Jürgen: the earlier confirmation went with the change, so it is asked again.
    await page.getByTestId('import-change-patient').click();
    await page.getByTestId('import-choose-patient').first().click();
    await chooser.getByTestId('worklist-search').fill('Müller');
    await expect.poll(() => row.count()).toBe(1);
    await row.click();
    await page.getByTestId('import-accession').fill('IMP-77');
    await page.getByTestId('import-pdf-study').selectOption({ index: 1 }); // the first study of the disc
    await page.getByTestId('import-send').click();
    await mismatch.waitFor();
    expect(await shown('import-mismatch-outside')).toEqual(['Müller, Otto', '1970-01-01']);
    await page.getByTestId('import-mismatch-confirm').click();

    await page.getByTestId('import-progress-bar').waitFor();
    const report = page.getByTestId('import-report');
    await report.waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('import-progress-bar').getAttribute('data-phase')).toBe('done');
    expect(await page.getByTestId('import-count-imported').textContent()).toMatch(/^5 /);
    expect(await page.getByTestId('import-count-sent').textContent()).toMatch(/^5 /);
    // Ñúñez's three images, not assigned, are reported as skipped.
    expect(await page.getByTestId('import-count-skipped').textContent()).toMatch(/^3 /);

    const studies = await studiesOf(orthanc, 'DEMO-1002');
    expect(studies.map((s) => [s.patientName, s.accessionNumber, s.instances]).sort()).toEqual([
      ['Müller^Jürgen', 'IMP-77', 1],
      ['Müller^Jürgen', 'IMP-77', 4],
    ]);
  });
});
