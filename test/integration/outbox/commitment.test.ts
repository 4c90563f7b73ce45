/**
 * Storage commitment where configured (PS3.4 J; IHE RAD-10): sent items stay 'sent' until
 * Orthanc's N-EVENT-REPORT (on a new association to the station's SCP) commits them; only then
 * is the job finished and its spooled copy on the retention clock.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli';
import type { OutboxSnapshot } from '../../../main/core/outbox/statusSnapshot';
import { makeInstances, useArchiveStation } from './stationFixture';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('storage commitment through the outbox', () => {
  const archive = useArchiveStation({ commit: true });

  it('marks items committed only after the archive reports it', async () => {
    const files = await makeInstances(join(archive.station.home, 'in'), 3, 91);
    expect((await cli('--config', archive.station.configFile, 'queue', 'add', ...files)).code).toBe(
      0,
    );
    const ran = await cli(
      '--config',
      archive.station.configFile,
      '--json',
      'queue',
      'run',
      '--until-empty',
      '--scp-port',
      String(archive.scpPort),
    );
    expect(ran.err).toEqual([]);
    const states = ran.out
      .map((line) => JSON.parse(line) as { state?: string })
      .flatMap((event) => (event.state ? [event.state] : []));
    expect(states.filter((s) => s === 'sent')).toHaveLength(3);
    expect(states.filter((s) => s === 'committed')).toHaveLength(3);
    expect(states.indexOf('committed')).toBeGreaterThan(states.indexOf('sent'));

    const status = await cli('--config', archive.station.configFile, '--json', 'queue', 'status');
    const snapshot = JSON.parse(status.out[0] ?? '{}') as OutboxSnapshot;
    expect(snapshot.destinations[0]?.counts.committed).toBe(3);
    expect(snapshot.unsent).toBe(0);
    expect(snapshot.text).toBe('all sent');
  });
});
