import type { WorklistItem } from '../../../../preload/contract';

export type SortKey = 'time' | 'name' | 'id' | 'procedure';
export interface SortOrder {
  readonly key: SortKey;
  readonly ascending: boolean;
}

const VALUE: Record<SortKey, (item: WorklistItem) => string> = {
  time: (item) => `${item.scheduledDate ?? ''}${item.scheduledTime ?? ''}`,
  name: (item) => item.patient.name.alphabetic,
  id: (item) => item.patient.id,
  procedure: (item) => item.requestedProcedureDescription ?? '',
};

/** A sorted copy; ties keep the server's order. Names compare as a person would read them. */
export function sortWorklist(items: readonly WorklistItem[], order: SortOrder): WorklistItem[] {
  const value = VALUE[order.key];
  const direction = order.ascending ? 1 : -1;
  return items
    .map((item, index) => ({ item, index }))
    .sort(
      (a, b) =>
        direction *
          value(a.item).localeCompare(value(b.item), undefined, {
            sensitivity: 'base',
            numeric: true,
          }) || a.index - b.index,
    )
    .map(({ item }) => item);
}
