import { formatPersonName } from '../../components/format';

const filled = (group: string | undefined): group is string =>
  group !== undefined && group.replace(/\^/g, '').trim() !== '';

/**
 * A DICOM PN value as the station shows names: its component groups are split on '=' first
 * (PS3.5 6.2.1.1: alphabetic=ideographic=phonetic), so "Yamada^Taro=山田^太郎" reads
 * "Yamada, Taro (山田, 太郎)", never "Yamada, Taro=山田 太郎". A name without an alphabetic
 * group shows its first filled group in its place; an empty name gives ''.
 */
export function formatPn(pn: string): string {
  const groups = pn.split('=');
  const [alphabetic = '', ideographic, phonetic] = filled(groups[0])
    ? groups
    : groups.filter(filled);
  return formatPersonName({
    alphabetic,
    ...(filled(ideographic) ? { ideographic } : {}),
    ...(filled(phonetic) ? { phonetic } : {}),
  });
}
