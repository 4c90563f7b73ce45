/**
 * Finding media through the contract (issue 8, item 1): the station's handlers list the discs the
 * watcher sees and push `mediaChanged` when one is inserted or ejected, so the import screen
 * offers it; a detected disc opens like a folder.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StationConfig } from '../../../main/core/config/schema';
import type { Mount } from '../../../main/core/media-import';
import { mediaImportHandlers } from '../../../main/core/station/features/mediaImportHandlers';
import type { StationParts } from '../../../main/core/station/parts';
import { buildPart10 } from './buildPart10';

const base = mkdtempSync(join(tmpdir(), 'media-handlers-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** Only what the import handlers use of a running station; the outbox is never reached here. */
function fakeParts(
  emitted: { name: string; payload: unknown }[],
  closers: (() => Promise<void>)[],
) {
  return {
    loaded: { config: StationConfig.parse({}), file: undefined, dataFolder: join(base, 'data') },
    dataFolder: join(base, 'data'),
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    outbox: {
      accept: () => Promise.reject(new Error('not in this test')),
      status: () => Promise.reject(new Error('not in this test')),
      onChange: () => () => undefined,
    },
    emit: (name: string, payload: unknown) => emitted.push({ name, payload }),
    onClose: (close: () => Promise<void>) => closers.push(close),
  } as unknown as StationParts;
}

describe('media import handlers', () => {
  it('offer inserted discs, announce changes, and open a detected disc', async () => {
    const disc = join(base, 'PATIENT_CD');
    mkdirSync(join(disc, 'IMG'), { recursive: true });
    writeFileSync(
      join(disc, 'IMG', 'I1'),
      buildPart10({
        sopInstanceUid: '1.2.826.0.1.3680043.2.1143.44.1',
        patientId: 'OUT-9',
        patientName: 'DISC^DORA',
        studyUid: '1.2.826.0.1.3680043.2.1143.44.2',
        seriesUid: '1.2.826.0.1.3680043.2.1143.44.3',
      }),
    );
    let mounts: Mount[] = [];
    const emitted: { name: string; payload: unknown }[] = [];
    const closers: (() => Promise<void>)[] = [];
    const handlers = mediaImportHandlers(fakeParts(emitted, closers), {
      mounts: () => Promise.resolve(mounts),
      pollMs: 20,
    });
    expect(await handlers.listMedia(undefined)).toEqual({ media: [] });
    mounts = [{ root: disc, filesystem: 'iso9660' }];
    const detected = { root: disc, label: 'PATIENT_CD', kind: 'optical', filesystem: 'iso9660' };
    await expect
      .poll(() => emitted.filter((e) => e.name === 'mediaChanged').map((e) => e.payload))
      .toEqual([{ media: [detected] }]);
    expect(await handlers.listMedia(undefined)).toEqual({ media: [detected] });
    const session = await handlers.openMedia({ root: disc });
    expect(session.patients.map((p) => p.name)).toEqual(['DISC^DORA']);

    mounts = [];
    await expect.poll(() => emitted.filter((e) => e.name === 'mediaChanged').length).toBe(2);
    expect(emitted.at(-1)).toEqual({ name: 'mediaChanged', payload: { media: [] } });
    for (const close of closers) await close();
    const after = emitted.length;
    mounts = [{ root: disc, filesystem: 'iso9660' }];
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(emitted.length).toBe(after); // closed: the watcher no longer polls
  });
});
