/**
 * A recording left behind by a station that closed mid-recording, whose patient is not known,
 * cannot be put in review: the station says so in the window — whether it found it before the
 * window opened (getNotices) or after (the notice event) — and the message stays until dismissed.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eStation, type E2eStation } from './support/browserMode';

describe('station notices', () => {
  let e2e: E2eStation;
  let page: Page;

  beforeAll(async () => {
    const home = mkdtempSync(join(tmpdir(), 'cs-e2e-notices-'));
    mkdirSync(join(home, 'recordings'));
    // No metadata beside it: whose video this is cannot be known.
    writeFileSync(
      join(home, 'recordings', 'recording-0f8d3c2a-6b1e-4c57-9a0e-2d4b5f6a7c8e.mp4'),
      Buffer.alloc(4096, 1),
    );
    e2e = await startE2eStation({ home });
    page = await e2e.context.newPage();
    await page.goto(e2e.mode.server.urlWithToken);
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it('shows a recording kept after a crash, found before the window opened, until dismissed', async () => {
    const notices = page.getByTestId('station-notices');
    await notices.waitFor();
    expect(await notices.textContent()).toMatch(
      /A video recorded until .* was left behind when the station closed .* kept at .*recording-0f8d3c2a/,
    );
    await notices.getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => page.getByTestId('station-notices').count()).toBe(0);
  });
});
