import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../main/core/rpc/dispatch';
import { createStation, type Station } from '../../../main/core/station/createStation';
import type { WorklistResult } from '../../../preload/contract';
import {
  DEMO_STATION_AET,
  DEMO_WORKLIST_DATE,
  demoWorklistItems,
} from '../../fixtures/worklist/demoWorklist';
import {
  freePort,
  startWorklistServer,
  writeWorklistFolder,
  type WorklistServer,
} from '../../services';

/** A station whose configuration points its worklist at `port`, as IT would write it. */
function stationFor(port: number, calledAeTitle: string): Station {
  const home = mkdtempSync(join(tmpdir(), 'cs-wl-station-'));
  const config = {
    station: { aeTitle: DEMO_STATION_AET, department: 'endoscopy' },
    worklist: { host: '127.0.0.1', port, calledAeTitle },
  };
  writeFileSync(join(home, 'config.json'), JSON.stringify(config));
  return createStation({ env: { CAPTURE_STATION_HOME: home } });
}

async function query(station: Station, payload: unknown) {
  return dispatch(station.handlers, 'queryWorklist', payload);
}

describe('the station worklist from a real MWL server (wlmscpfs)', () => {
  let server: WorklistServer;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-wl-'));
    await writeWorklistFolder(dir, 'WL', demoWorklistItems);
    server = await startWorklistServer({ worklistDir: dir, aet: 'WL' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('lists the day for this station and department, names decoded as written', async () => {
    const station = stationFor(server.port, 'WL');
    const result = await query(station, { date: DEMO_WORKLIST_DATE, modality: 'ES' });
    expect(result.ok).toBe(true);
    const { items, demo, source } = (result as { value: WorklistResult }).value;
    expect(demo).toBe(false);
    expect(source).toBe('WL');
    const expected = demoWorklistItems.filter((i) => i.Modality === 'ES');
    expect(items.map((i) => i.patient.id).sort()).toEqual(expected.map((i) => i.PatientID).sort());
    const yamada = items.find((i) => i.patient.id === 'PID-100871');
    expect(yamada?.patient.name).toEqual({
      alphabetic: 'Yamada^Tarou',
      ideographic: '山田^太郎',
      phonetic: 'やまだ^たろう',
    });
    expect(items.find((i) => i.patient.id === 'PID-100234')?.patient.name.alphabetic).toBe(
      'Müller^Jürgen',
    );
    expect(yamada?.studyInstanceUid).toBe('2.25.258824034953260546720167918651664299945');
    await station.close();
  });

  it('finds a patient by free text and by exact ID, and nothing on another day', async () => {
    const station = stationFor(server.port, 'WL');
    const byText = await query(station, { date: DEMO_WORKLIST_DATE, text: 'muller' });
    expect((byText as { value: WorklistResult }).value.items.map((i) => i.patient.id)).toEqual([
      'PID-100234',
    ]);
    const byId = await query(station, { date: DEMO_WORKLIST_DATE, patientId: 'PID-100871' });
    expect((byId as { value: WorklistResult }).value.items).toHaveLength(1);
    const otherDay = await query(station, { date: '20261201' });
    expect((otherDay as { value: WorklistResult }).value.items).toEqual([]);
    await station.close();
  });

  it('says in words when the server refuses the association', async () => {
    // wlmscpfs has no worklist folder for this called AE title, so it rejects the association.
    const station = stationFor(server.port, 'NOSUCHWL');
    const result = await query(station, { date: DEMO_WORKLIST_DATE });
    expect(result).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    const message = (result as { error: { message: string } }).error.message;
    console.log(message);
    expect(message).toMatch(
      new RegExp(
        `^worklist server NOSUCHWL \\(127\\.0\\.0\\.1:${server.port}\\) refused the association`,
      ),
    );
    await station.close();
  });

  it('says in words when the server cannot be reached', async () => {
    const station = stationFor(await freePort(), 'WL');
    const result = await query(station, { date: DEMO_WORKLIST_DATE });
    expect(result).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect((result as { error: { message: string } }).error.message).toMatch(
      /cannot be reached .*check that it is running/,
    );
    await station.close();
  });
});
