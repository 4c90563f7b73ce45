import { describe, expect, it } from 'vitest';
import { createDemoWorklist } from '../../../main/core/worklist/demoWorklist';
import { dateInRange } from '../../../main/core/worklist/WorklistSource';

const now = () => new Date(2026, 10, 28, 9, 0);

describe('demo worklist', () => {
  it('schedules every item for today at this station, with stable study UIDs', async () => {
    const source = createDemoWorklist('ENDO2', 'general', now);
    const items = await source.query({});
    expect(items.length).toBeGreaterThan(2);
    expect(new Set(items.map((i) => i.scheduledDate))).toEqual(new Set(['20261128']));
    expect(items.every((i) => i.scheduledStationAeTitle === 'ENDO2')).toBe(true);
    expect((await source.query({})).map((i) => i.studyInstanceUid)).toEqual(
      items.map((i) => i.studyInstanceUid),
    );
    expect(items.every((i) => /^2\.25\.\d+$/.test(i.studyInstanceUid))).toBe(true);
  });

  it('finds patients by name without accents, by ID and by accession', async () => {
    const source = createDemoWorklist('CAPTURE1', 'general', now);
    expect((await source.query({ text: 'muller' })).map((i) => i.patient.id)).toEqual([
      'DEMO-1002',
    ]);
    expect((await source.query({ text: '山田' })).map((i) => i.patient.id)).toEqual(['DEMO-1003']);
    expect((await source.query({ text: 'demoacc1004' })).map((i) => i.patient.id)).toEqual([
      'DEMO-1004',
    ]);
  });

  it('returns nothing for another day', async () => {
    expect(
      await createDemoWorklist('CAPTURE1', 'general', now).query({ date: '20261127' }),
    ).toEqual([]);
    expect(
      (await createDemoWorklist('CAPTURE1', 'general', now).query({ date: '20261101-20261130' }))
        .length,
    ).toBeGreaterThan(0);
  });

  it('compares date ranges inclusively', () => {
    expect(dateInRange('20261128', '20261128')).toBe(true);
    expect(dateInRange('20261130', '20261128-20261130')).toBe(true);
    expect(dateInRange('20261201', '20261128-20261130')).toBe(false);
  });
});

describe('demo worklist matching keys', () => {
  it('matches modality, exact patient ID and station AE title like a worklist server', async () => {
    const source = createDemoWorklist('CAPTURE1', 'general', now);
    expect((await source.query({ modality: 'ES' })).every((i) => i.modality === 'ES')).toBe(true);
    expect((await source.query({ patientId: 'DEMO-1003' })).map((i) => i.patient.id)).toEqual([
      'DEMO-1003',
    ]);
    expect(await source.query({ patientId: 'DEMO-10' })).toEqual([]);
    expect(await source.query({ stationAeTitle: 'OTHER' })).toEqual([]);
    expect((await source.query({ stationAeTitle: '' })).length).toBeGreaterThan(0);
  });
});

describe("the department's modality", () => {
  it('is matched unless another is asked for, or any with an empty string', async () => {
    const endoscopy = createDemoWorklist('CAPTURE1', 'endoscopy', now);
    expect(new Set((await endoscopy.query({})).map((i) => i.modality))).toEqual(new Set(['ES']));
    expect(new Set((await endoscopy.query({ modality: 'XC' })).map((i) => i.modality))).toEqual(
      new Set(['XC']),
    );
    expect((await endoscopy.query({ modality: '' })).length).toBe(
      (await createDemoWorklist('CAPTURE1', 'general', now).query({})).length,
    );
  });
});
