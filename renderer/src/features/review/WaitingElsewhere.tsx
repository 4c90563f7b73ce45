import { formatPersonName } from '../../components/format';
import { strings } from '../../i18n/strings';
import type { CaptureRecord } from './useReview';

/**
 * Captures in review for patients other than the one on screen (e.g. listed again after a
 * restart): named, so none is forgotten unsent. Selecting the patient shows them in the strip.
 */
export function WaitingElsewhere({
  captures,
  currentKey,
}: {
  captures: readonly CaptureRecord[];
  currentKey: string | undefined;
}) {
  const waiting = new Map<string, { name: string; count: number }>();
  for (const c of captures) {
    if (c.state !== 'review' || c.item.key === currentKey) continue;
    const entry = waiting.get(c.item.key) ?? {
      name: formatPersonName(c.item.patient.name),
      count: 0,
    };
    entry.count += 1;
    waiting.set(c.item.key, entry);
  }
  if (waiting.size === 0) return null;
  const list = [...waiting.values()].map((w) => `${w.name} (${w.count})`).join(', ');
  return (
    <p className="state state--warning" data-testid="review-elsewhere">
      {strings.review.elsewhere(list)}
    </p>
  );
}
