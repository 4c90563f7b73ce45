import { useState } from 'react';
import type { StationInfo } from '../../../../preload/contract';
import { regionNeededBy } from '../../../../preload/features/review';
import { strings } from '../../i18n/strings';
import { ReviewPanel } from './ReviewPanel';
import type { CaptureRecord, Review } from './useReview';

const t = strings.review;

interface Props {
  /** This patient's captures of the session, oldest first. */
  readonly captures: readonly CaptureRecord[];
  readonly review: Review;
  /** Wound care offers wound labels; the department also decides which captures need a site. */
  readonly department: StationInfo['department'];
}

/**
 * The thumbnail strip with review before sending (issue 6, item 5): each capture shows its state;
 * a click opens it for review (the newest opens by itself); Send (or Ctrl+Enter) wraps and
 * spools every capture in review for this patient.
 */
export function ReviewStrip({ captures, review, department }: Props) {
  const [chosen, setChosen] = useState<string>();
  const inReview = captures.filter((c) => c.state === 'review');
  const sent = captures.filter((c) => c.state === 'saved').length;
  const missingRegion = inReview
    .map((c) => (c.review && !c.review.region ? regionNeededBy(c.review, department) : undefined))
    .find((what) => what !== undefined);
  const open = inReview.find((c) => c.key === chosen) ?? inReview.at(-1);
  return (
    <div className="review-strip">
      <div className="capture-controls">
        <span data-testid="capture-count" aria-live="polite">
          {t.count(inReview.length, sent)}
        </span>
        <button
          type="button"
          className="send"
          disabled={inReview.length === 0 || missingRegion !== undefined}
          onClick={() => void review.send(inReview.map((c) => c.key))}
          data-testid="review-send"
        >
          {t.send(inReview.length)}
        </button>
        {missingRegion && (
          <span className="state state--warning" data-testid="review-needs-region">
            {t.needsRegion(missingRegion)}
          </span>
        )}
      </div>
      <ol className="thumbnails" aria-label={t.strip}>
        {captures.map((c) => (
          <li
            key={c.key}
            className={`thumbnail thumbnail--${c.state}${c === open ? ' thumbnail--open' : ''}`}
            data-testid="thumbnail"
            data-state={c.state}
            data-medium={c.medium}
            data-error={c.error ? '' : undefined}
            title={c.error ?? t.states[c.state]}
          >
            <button
              type="button"
              aria-pressed={c === open}
              disabled={c.state !== 'review'}
              onClick={() => setChosen(c.key)}
              data-testid="thumbnail-open"
            >
              {c.thumbnailUrl ? (
                <img src={c.thumbnailUrl} alt={`${c.medium} ${c.saved?.instanceNumber ?? ''}`} />
              ) : (
                <span className="thumbnail__video">▶ {t.video}</span>
              )}
            </button>
            <span data-testid="thumbnail-state">
              {c.state === 'failed' ? `${t.states.failed}: ${c.error ?? ''}` : t.states[c.state]}
            </span>
          </li>
        ))}
      </ol>
      {open?.review && (
        <ReviewPanel
          key={open.key}
          review={open.review}
          error={open.error}
          woundLabel={department === 'woundcare'}
          onEdit={(edits) => review.edit(open.key, edits)}
          onFlush={() => void review.flush(open.key)}
          onDelete={() => void review.remove(open.key)}
        />
      )}
    </div>
  );
}
