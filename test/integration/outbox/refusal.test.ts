/**
 * Issue 7, done-when 3: a destination that refuses an instance puts it in needs-attention with the
 * peer's reason, keeps it in the spool, and still delivers the rest. Orthanc refuses a SOP class
 * it does not know when UnknownSopClassAccepted is off (PS3.8 9.3.3.2: presentation context
 * result 3, abstract syntax not supported).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli';
import type { OutboxSnapshot } from '../../../main/core/outbox/statusSnapshot';
import { testUid } from '../../unit/outbox/instanceFixture';
import { makeInstances, orthancSopInstanceUids, useArchiveStation } from './stationFixture';

const UNKNOWN_SOP_CLASS = '1.2.826.0.1.3680043.10.99.1';
const RUN = 61;

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('a refusing destination', () => {
  const archive = useArchiveStation({
    orthanc: { extraConfig: { UnknownSopClassAccepted: false } },
  });

  it('shows the peer reason in needs-attention, keeps the file, and sends the others', async () => {
    const good = await makeInstances(join(archive.station.home, 'good'), 2, RUN);
    const [bad] = await makeInstances(join(archive.station.home, 'bad'), 1, RUN + 1, {
      sopClassUid: UNKNOWN_SOP_CLASS,
    });
    if (!bad) throw new Error('no instance made');
    expect(
      (await cli('--config', archive.station.configFile, 'queue', 'add', ...good, bad)).code,
    ).toBe(0);

    const ran = await cli('--config', archive.station.configFile, 'queue', 'run', '--until-empty');
    expect(ran.code).toBe(1);
    expect(ran.err[0]).toBe('capture-station queue: 1 item(s) need attention');

    const status = await cli('--config', archive.station.configFile, '--json', 'queue', 'status');
    const snapshot = JSON.parse(status.out[0] ?? '{}') as OutboxSnapshot;
    expect(snapshot.text).toBe('1 need attention');
    const refused = snapshot.items.find((i) => i.sopInstanceUid === testUid(1, RUN + 1));
    expect(refused?.deliveries.pacs?.state).toBe('needs-attention');
    expect(refused?.deliveries.pacs?.problem).toMatch(
      new RegExp(
        `refused ${UNKNOWN_SOP_CLASS.replace(/\./g, '\\.')}.*abstract syntax not supported`,
      ),
    );
    expect(existsSync(join(archive.station.home, 'outbox', 'files', `${refused?.jobId}.dcm`))).toBe(
      true,
    );
    expect(new Set(await orthancSopInstanceUids(archive.orthanc.baseUrl))).toEqual(
      new Set([testUid(1, RUN), testUid(2, RUN)]),
    );
  });
});
