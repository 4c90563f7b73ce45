/** Wristband or typed Patient ID on the import screen: never a wildcard, never the first of several. */
import { describe, expect, it } from 'vitest';
import type { WorklistItem } from '../../../preload/contract';
import { lookUpPatientId } from '../../../renderer/src/features/patient/patientIdLookup';

describe('lookUpPatientId', () => {
  const item = (key: string, id: string, issuer: string, name = 'DOE^JANE'): WorklistItem => ({
    key,
    patient: { id, issuer, name: { alphabetic: name }, birthDate: '19700101', sex: 'F' },
    accessionNumber: `ACC-${key}`,
    studyInstanceUid: `1.2.${key.length}`,
  });

  it('refuses wildcard and multi-value characters', () => {
    for (const typed of ['12*', '1?3', 'A\\B'])
      expect(lookUpPatientId(typed, [])).toEqual({ kind: 'refused' });
  });

  it('accepts only an exact ID, not what a loose server matched', () => {
    expect(lookUpPatientId('123', [item('a', '1234', 'H')])).toEqual({ kind: 'none' });
    expect(lookUpPatientId('123', [item('a', '1234', 'H'), item('b', '123', 'H')])).toEqual({
      kind: 'one',
      item: item('b', '123', 'H'),
    });
  });

  it('takes one patient with several orders as that patient (the first order)', () => {
    expect(lookUpPatientId('123', [item('a', '123', 'H'), item('b', '123', 'H')])).toEqual({
      kind: 'one',
      item: item('a', '123', 'H'),
    });
  });

  it('asks when different patients share the ID (another issuer or another name)', () => {
    const found = lookUpPatientId('123', [
      item('a', '123', 'H'),
      item('b', '123', 'CLINIC'),
      item('c', '123', 'H', 'ROE^RICHARD'),
    ]);
    expect(found.kind).toBe('several');
    expect(found.kind === 'several' && found.items.map((i) => i.key)).toEqual(['a', 'b', 'c']);
  });
});
