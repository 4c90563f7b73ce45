import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli';
import { commitStorage } from '../../../main/core/dimse/commitStorage';
import { cEcho, VERIFICATION_CONTEXT } from '../../../main/core/dimse/echo';
import { openAssociation } from '../../../main/core/dimse/openAssociation';
import { readPart10Info } from '../../../main/core/dimse/part10';
import type { DimsePeer } from '../../../main/core/dimse/peer';
import { sendFiles } from '../../../main/core/dimse/sendFiles';
import { StationScp } from '../../../main/core/dimse/StationScp';
import { startOrthanc, type Orthanc } from '../../services';
import { makeFixtures, type Fixtures } from './fixtures';

const dir = path.join(os.tmpdir(), `dimse-commit-${process.pid}`);
let scp: StationScp;
let orthanc: Orthanc;
let fixtures: Fixtures;
let peer: DimsePeer;

beforeAll(async () => {
  await mkdir(dir, { recursive: true });
  fixtures = await makeFixtures(dir);
  scp = await StationScp.start({ aeTitle: 'CAPTURE1' });
  orthanc = await startOrthanc({
    modalities: { station: { aet: 'CAPTURE1', host: '127.0.0.1', port: scp.port } },
  });
  peer = {
    host: '127.0.0.1',
    port: orthanc.dicomPort,
    calledAeTitle: orthanc.aet,
    callingAeTitle: 'CAPTURE1',
  };
});
afterAll(async () => {
  await orthanc?.stop();
  await scp?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('Storage Commitment Push Model against Orthanc', () => {
  it('the station SCP answers C-ECHO', async () => {
    const association = await openAssociation({
      host: '127.0.0.1',
      port: scp.port,
      calledAeTitle: 'CAPTURE1',
      callingAeTitle: 'TESTER',
      presentationContexts: [VERIFICATION_CONTEXT],
    });
    expect(await cEcho(association)).toBe(0);
    await association.release();
  });

  it('commits stored instances and reports unknown ones as failed, per instance', async () => {
    const files = [fixtures.photo, fixtures.latin1];
    const sent = await sendFiles(files, { peer });
    expect(
      sent.every((r) => r.stored),
      sent.map((r) => r.message).join('; '),
    ).toBe(true);
    const stored = await Promise.all(files.map((f) => readPart10Info(f)));
    const unknown = {
      sopClassUid: '1.2.840.10008.5.1.4.1.1.7',
      sopInstanceUid: '1.2.826.0.1.999999.1',
    };
    const report = await commitStorage({
      peer,
      scp,
      references: [
        ...stored.map((s) => ({ sopClassUid: s.sopClassUid, sopInstanceUid: s.sopInstanceUid })),
        unknown,
      ],
      reportTimeoutMs: 20_000,
    });
    expect(report.eventTypeId).toBe(2);
    for (const s of stored) {
      expect(report.results.find((r) => r.sopInstanceUid === s.sopInstanceUid)?.committed).toBe(
        true,
      );
    }
    const failed = report.results.find((r) => r.sopInstanceUid === unknown.sopInstanceUid);
    expect(failed?.committed).toBe(false);
    expect(failed?.failureReason).toBeGreaterThan(0);
  });
});

describe('capture-station send --commit', () => {
  it('sends, then prints one commitment line per instance', async () => {
    // Hand the station's port (known to Orthanc) over to the command's own listener.
    const port = scp.port;
    await scp.stop();
    const config = path.join(dir, 'config.json');
    await writeFile(config, JSON.stringify({ station: { aeTitle: 'CAPTURE1' } }));
    const lines: string[] = [];
    const code = await runCli(
      [
        '--config',
        config,
        '--json',
        'send',
        '--host',
        '127.0.0.1',
        '--port',
        String(orthanc.dicomPort),
        '--aet',
        orthanc.aet,
        '--commit',
        '--scp-port',
        String(port),
        fixtures.pdf,
      ],
      { out: (line: string) => lines.push(line), err: (line: string) => lines.push(`ERR ${line}`) },
    );
    expect(code, lines.join('\n')).toBe(0);
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed[0]).toMatchObject({ stored: true, outcome: 'success' });
    expect(parsed[1]).toMatchObject({ sopInstanceUid: parsed[0]?.sopInstanceUid, committed: true });
  });
});
