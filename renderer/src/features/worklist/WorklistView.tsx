import { useState, type KeyboardEvent, type RefObject } from 'react';
import type { WorklistItem } from '../../../../preload/contract';
import { formatDicomDate, formatDicomTime, formatPersonName } from '../../components/format';
import { strings } from '../../i18n/strings';
import { sortWorklist, type SortKey, type SortOrder } from './sortWorklist';
import { useWorklist } from './useWorklist';

interface Props {
  readonly selectedKey: string | undefined;
  readonly onSelect: (item: WorklistItem) => void;
  readonly searchRef: RefObject<HTMLInputElement | null>;
  readonly text: string;
  readonly onTextChange: (text: string) => void;
  /** A message above the list (e.g. a wristband that matched nobody). */
  readonly notice?: string;
}

const t = strings.worklist;

/** Scheduled procedures for today: search, refresh, and keyboard selection (↑/↓, Enter). */
export function WorklistView({
  selectedKey,
  onSelect,
  searchRef,
  text,
  onTextChange,
  notice,
}: Props) {
  const { state, refresh } = useWorklist(text);

  return (
    <section className="panel" aria-labelledby="worklist-heading" data-testid="worklist">
      <header className="panel__header">
        <h2 id="worklist-heading">{t.heading}</h2>
        {state.status === 'ready' && state.result.demo && (
          <span
            className="badge badge--demo"
            data-testid="worklist-demo-badge"
            title={strings.demoWorklistHint}
          >
            {strings.demo}
          </span>
        )}
        <input
          ref={searchRef}
          className="search"
          type="search"
          aria-label={t.search}
          placeholder={t.search}
          value={text}
          onChange={(event) => onTextChange(event.target.value)}
          data-testid="worklist-search"
        />
        <button type="button" onClick={refresh} data-testid="worklist-refresh">
          {t.refresh}
        </button>
      </header>
      {notice && (
        <p className="state state--warning" role="alert" data-testid="worklist-notice">
          {notice}
        </p>
      )}
      {state.status === 'loading' && <p className="state">{t.loading}</p>}
      {state.status === 'error' && (
        <p className="state state--error" role="alert" data-testid="worklist-error">
          {t.errorPrefix} {state.message}
        </p>
      )}
      {state.status === 'ready' && state.result.items.length === 0 && (
        <p className="state">{t.empty}</p>
      )}
      {state.status === 'ready' && state.result.items.length > 0 && (
        <WorklistTable items={state.result.items} selectedKey={selectedKey} onSelect={onSelect} />
      )}
    </section>
  );
}

function WorklistTable({
  items,
  selectedKey,
  onSelect,
}: {
  items: WorklistItem[];
  selectedKey: string | undefined;
  onSelect: (item: WorklistItem) => void;
}) {
  const [order, setOrder] = useState<SortOrder>({ key: 'time', ascending: true });
  const sorted = sortWorklist(items, order);
  const sortBy = (key: SortKey) =>
    setOrder((o) => ({ key, ascending: o.key === key ? !o.ascending : true }));
  const header = (key: SortKey, label: string) => (
    <th aria-sort={order.key === key ? (order.ascending ? 'ascending' : 'descending') : 'none'}>
      <button
        type="button"
        className="sort"
        onClick={() => sortBy(key)}
        data-testid={`sort-${key}`}
      >
        {label}
        {order.key === key ? (order.ascending ? ' ▲' : ' ▼') : ''}
      </button>
    </th>
  );
  const onRowKey = (event: KeyboardEvent<HTMLTableRowElement>, item: WorklistItem) => {
    const row = event.currentTarget;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onSelect(item);
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      (row.nextElementSibling as HTMLElement | null)?.focus();
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      (row.previousElementSibling as HTMLElement | null)?.focus();
    }
  };
  return (
    <table className="worklist" data-testid="worklist-table">
      <thead>
        <tr>
          {header('time', t.columns.time)}
          {header('name', t.columns.name)}
          {header('id', t.columns.id)}
          <th>{t.columns.born}</th>
          <th>{t.columns.sex}</th>
          {header('procedure', t.columns.procedure)}
          <th>{t.columns.accession}</th>
          <th>{t.columns.modality}</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((item) => (
          <tr
            key={item.key}
            tabIndex={0}
            aria-selected={item.key === selectedKey}
            className={item.key === selectedKey ? 'is-selected' : undefined}
            onClick={() => onSelect(item)}
            onKeyDown={(event) => onRowKey(event, item)}
            data-testid="worklist-row"
          >
            <td>{formatDicomTime(item.scheduledTime)}</td>
            <td data-testid="worklist-name">{formatPersonName(item.patient.name)}</td>
            <td>{item.patient.id}</td>
            <td>{formatDicomDate(item.patient.birthDate)}</td>
            <td>{item.patient.sex || '—'}</td>
            <td>{item.requestedProcedureDescription ?? '—'}</td>
            <td>{item.accessionNumber || '—'}</td>
            <td>{item.modality ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
