import { describe, expect, it, vi } from 'vitest';
import {
  AssociationRejectedError,
  ConnectionError,
  TimeoutError,
} from '../../../main/core/dimse/errors';
import { StationConfig } from '../../../main/core/config/schema';
import { createDimseWorklist, describeFailure } from '../../../main/core/worklist/dimseWorklist';
import type { WorklistItem } from '../../../preload/contract';

const config = StationConfig.parse({
  station: { aeTitle: 'CAPTURE1', department: 'endoscopy' },
  worklist: { host: 'ris.example', port: 104, calledAeTitle: 'WL1' },
});

const item = (id: string, name: string): WorklistItem => ({
  key: id,
  patient: { name: { alphabetic: name }, id },
  accessionNumber: `A${id}`,
  studyInstanceUid: `2.25.${id}`,
});

describe('DIMSE worklist source', () => {
  it("asks the server for today, this station's AE title, and the requested modality", async () => {
    const query = vi.fn(() => Promise.resolve([item('1', 'Doe^Jane'), item('2', 'Roe^Richard')]));
    const source = createDimseWorklist(config, query);
    const items = await source.query({ modality: 'ES', text: 'roe' });
    expect(items.map((i) => i.patient.id)).toEqual(['2']);
    const [, keys] = query.mock.calls[0] as unknown as [unknown, Record<string, string>];
    expect(keys).toMatchObject({ modality: 'ES', stationAeTitle: 'CAPTURE1' });
    expect(keys.date).toMatch(/^\d{8}$/);
  });

  it("defaults to the department's modality; an empty modality means any", async () => {
    const query = vi.fn(() => Promise.resolve([]));
    const source = createDimseWorklist(config, query);
    await source.query({});
    await source.query({ modality: '' });
    const keys = query.mock.calls.map(
      (call) => (call as unknown as [unknown, Record<string, string>])[1],
    );
    expect(keys[0]?.modality).toBe('ES');
    expect(keys[1]?.modality).toBeUndefined();
  });

  it('an empty station AE title means any station', async () => {
    const query = vi.fn(() => Promise.resolve([]));
    await createDimseWorklist(config, query).query({ stationAeTitle: '' });
    const [, keys] = query.mock.calls[0] as unknown as [unknown, Record<string, string>];
    expect(keys.stationAeTitle).toBeUndefined();
  });

  it('explains failures in words a nurse can act on', () => {
    const server = 'worklist server WL1 (ris.example:104)';
    const rejected = new AssociationRejectedError(
      1,
      1,
      3,
      'permanent',
      'service user',
      'calling AE title not recognised',
    );
    expect(describeFailure(server, 'CAPTURE1', rejected)).toBe(
      'worklist server WL1 (ris.example:104) refused the association (calling AE title not recognised): calling AE title CAPTURE1 is not known to it; ask IT to register this station',
    );
    expect(
      describeFailure(server, 'CAPTURE1', new ConnectionError('connect ECONNREFUSED')),
    ).toMatch(/cannot be reached/);
    expect(describeFailure(server, 'CAPTURE1', new TimeoutError('response', 20000))).toMatch(
      /did not answer in time/,
    );
  });
});
