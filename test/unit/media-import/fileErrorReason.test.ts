/**
 * A disc taken out mid-import: the files left fail with system errors, and each is reported in
 * words a clinician can act on, the code kept for IT (media-import/fileErrorReason.ts).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileErrorReason } from '../../../main/core/media-import/fileErrorReason';
import { importMedia } from '../../../main/core/media-import';
import { buildPart10 } from './buildPart10';

const base = mkdtempSync(join(tmpdir(), 'file-error-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const GONE = 'no longer on the medium: was the disc or drive removed? [ENOENT]';

/** The error a real fs call fails with. */
async function failureOf(call: Promise<unknown>): Promise<Error> {
  return call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error as Error,
  );
}

describe('fileErrorReason', () => {
  it('says a file gone from the medium may mean the disc was removed, with the code', async () => {
    expect(fileErrorReason(await failureOf(open(join(base, 'not-there'), 'r')))).toBe(GONE);
  });

  it("keeps any other error's own message", async () => {
    const folder = await failureOf(open(base, 'r').then((h) => h.readFile()));
    expect(fileErrorReason(folder)).toBe(folder.message); // EISDIR: not one it explains
    expect(fileErrorReason(new Error('the outbox is full'))).toBe('the outbox is full');
  });
});

describe('importMedia when the disc is taken out mid-import', () => {
  it('imports what it could and skips the rest with the reason in plain words', async () => {
    const disc = join(base, 'disc');
    mkdirSync(disc);
    const files = [1, 2, 3].map((n) => {
      const path = join(disc, `IM${n}`);
      writeFileSync(
        path,
        buildPart10({
          sopInstanceUid: `1.2.826.0.1.3680043.2.1143.8.${n}`,
          patientId: 'OUT-1',
          patientName: 'ALPHA^ANNE',
          studyUid: '1.2.826.0.1.3680043.2.1143.1.8',
          seriesUid: '1.2.826.0.1.3680043.2.1143.2.8',
        }),
      );
      return path;
    });
    const [first, ...left] = files;
    // One at a time: the disc goes once the first file is coerced, before the next one is.
    const report = await importMedia(disc, {
      patient: { patientId: 'LOC-1', issuerOfPatientId: 'HOSP', name: 'ALPHA^ANNE' },
      modifyingSystem: 'TEST',
      workFolder: join(base, 'work'),
      inFlight: 1,
      deliver: (file) => {
        for (const path of left) if (existsSync(path)) rmSync(path);
        return Promise.resolve(file);
      },
    });
    expect(report.imported.map((i) => i.source)).toEqual([first]);
    expect(report.skipped).toEqual(left.map((path) => ({ path, reason: GONE })));
  });
});
