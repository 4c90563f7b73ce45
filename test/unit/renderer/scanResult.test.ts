/** A wristband scan in the capture screen selects a procedure only when nobody else could be meant. */
import { describe, expect, it } from 'vitest';
import type { WorklistItem } from '../../../preload/contract';
import { scanResult } from '../../../renderer/src/features/patient/scanResult';

const item = (key: string, id: string, issuer = 'H', name = 'DOE^JANE'): WorklistItem => ({
  key,
  patient: { id, issuer, name: { alphabetic: name }, birthDate: '19700101', sex: 'F' },
  accessionNumber: `ACC-${key}`,
  studyInstanceUid: `1.2.${key.length}`,
});

describe('scanResult', () => {
  it('selects the one procedure of the one patient with exactly that ID', () => {
    const mine = item('b', 'PID-1');
    expect(scanResult('PID-1', [item('a', 'PID-10'), mine])).toEqual({
      kind: 'select',
      item: mine,
    });
  });

  it('asks, with the search pre-filled, when the patient has several procedures today', () => {
    const result = scanResult('PID-1', [item('a', 'PID-1'), item('b', 'PID-1')]);
    expect(result).toMatchObject({ kind: 'choose', search: 'PID-1' });
    expect(result.kind === 'choose' && result.notice).toMatch(/2 procedures today/);
  });

  it('asks when different patients share the ID, and never selects the first', () => {
    const result = scanResult('PID-1', [item('a', 'PID-1', 'H'), item('b', 'PID-1', 'OTHER')]);
    expect(result).toMatchObject({ kind: 'choose', search: 'PID-1' });
    expect(result.kind === 'choose' && result.notice).toMatch(/2 different patients/);
  });

  it('refuses an ID that would match others as a query key, and says when nobody has it', () => {
    expect(scanResult('PID-*', [item('a', 'PID-1')])).toMatchObject({ kind: 'choose', search: '' });
    expect(scanResult('PID-9', [])).toMatchObject({ kind: 'choose', search: 'PID-9' });
  });
});
