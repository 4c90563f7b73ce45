import type { PersonName } from '../../../preload/contract';

/** "Family^Given^Middle^Prefix^Suffix" → "FAMILY, Given Middle"; other groups in parentheses. */
export function formatPersonName(name: PersonName): string {
  const main = formatGroup(name.alphabetic);
  const others = [name.ideographic, name.phonetic]
    .filter((g): g is string => Boolean(g))
    .map(formatGroup);
  return others.length > 0 ? `${main} (${others.join(' / ')})` : main;
}

function formatGroup(group: string): string {
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = group.split('^');
  const rest = [prefix, given, middle, suffix].filter(Boolean).join(' ');
  if (!family) return rest;
  return rest ? `${family}, ${rest}` : family;
}

/** YYYYMMDD → YYYY-MM-DD (unambiguous on every ward); anything else is shown as is. */
export function formatDicomDate(date: string | undefined): string {
  if (!date) return '—';
  return /^\d{8}$/.test(date)
    ? `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`
    : date;
}

/** HHMMSS(.frac) → HH:MM. */
export function formatDicomTime(time: string | undefined): string {
  if (!time || time.length < 4) return '—';
  return `${time.slice(0, 2)}:${time.slice(2, 4)}`;
}
