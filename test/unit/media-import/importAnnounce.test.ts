/**
 * importMedia tells the outbox, before the first delivery, every kind (SOP class, transfer
 * syntax) it is about to deliver, and withdraws that once it has ended (Outbox.expectKinds: the
 * first associations then carry the later series too).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importMedia } from '../../../main/core/media-import';
import { buildPart10 } from './buildPart10';

const base = mkdtempSync(join(tmpdir(), 'import-announce-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const SC_IMAGE = '1.2.840.10008.5.1.4.1.1.7';

describe('importMedia announcing what it will deliver', () => {
  it('announces each kind once before delivering, and withdraws it after the last delivery', async () => {
    const disc = join(base, 'disc');
    mkdirSync(disc);
    [false, true, false].forEach((implicit, n) =>
      writeFileSync(
        join(disc, `IM${n}`),
        buildPart10({
          sopInstanceUid: `1.2.826.0.1.3680043.2.1143.7.${n}`,
          patientId: 'OUT-1',
          patientName: 'ALPHA^ANNE',
          studyUid: '1.2.826.0.1.3680043.2.1143.1.7',
          seriesUid: '1.2.826.0.1.3680043.2.1143.2.7',
          implicit,
        }),
      ),
    );
    const events: string[] = [];
    await importMedia(disc, {
      patient: { patientId: 'LOC-1', issuerOfPatientId: 'HOSP', name: 'ALPHA^ANNE' },
      modifyingSystem: 'TEST',
      workFolder: join(base, 'work'),
      announce: (kinds) => {
        events.push(
          `announce ${kinds.map((k) => `${k.sopClassUid}|${k.transferSyntaxUid}`).join(' ')}`,
        );
        return () => events.push('withdraw');
      },
      deliver: (file) => {
        events.push('deliver');
        return Promise.resolve(file);
      },
    });
    expect(events).toEqual([
      `announce ${SC_IMAGE}|1.2.840.10008.1.2.1 ${SC_IMAGE}|1.2.840.10008.1.2`,
      'deliver',
      'deliver',
      'deliver',
      'withdraw',
    ]);
  });
});
