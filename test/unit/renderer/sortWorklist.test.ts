import { describe, expect, it } from 'vitest';
import { sortWorklist } from '../../../renderer/src/features/worklist/sortWorklist';
import type { WorklistItem } from '../../../preload/contract';

const item = (id: string, name: string, time: string): WorklistItem => ({
  key: id,
  patient: { name: { alphabetic: name }, id },
  accessionNumber: '',
  studyInstanceUid: `2.25.${id.length}`,
  scheduledDate: '20261128',
  scheduledTime: time,
});

const list = [
  item('P10', 'Öberg^Anna', '0930'),
  item('P9', 'adams^Bo', '1100'),
  item('P2', 'Müller^Jürgen', '0800'),
];

describe('worklist sorting', () => {
  it('sorts by time by default order, names as a person reads them, IDs numerically', () => {
    expect(sortWorklist(list, { key: 'time', ascending: true }).map((i) => i.patient.id)).toEqual([
      'P2',
      'P10',
      'P9',
    ]);
    expect(sortWorklist(list, { key: 'name', ascending: true }).map((i) => i.patient.id)).toEqual([
      'P9',
      'P2',
      'P10',
    ]);
    expect(sortWorklist(list, { key: 'id', ascending: false }).map((i) => i.patient.id)).toEqual([
      'P10',
      'P9',
      'P2',
    ]);
  });

  it('leaves the input untouched', () => {
    const before = list.map((i) => i.key);
    sortWorklist(list, { key: 'name', ascending: false });
    expect(list.map((i) => i.key)).toEqual(before);
  });
});
