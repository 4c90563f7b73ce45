import type {
  DermoscopySettings,
  ReviewEdits,
  ReviewItem,
} from '../../../../preload/features/review';
import { strings } from '../../i18n/strings';
import { RegionPicker } from '../capture/RegionPicker';

const t = strings.review;

interface Props {
  readonly review: ReviewItem;
  readonly error: string | undefined;
  /** Wound care: the wound label field (follow-up series). */
  readonly woundLabel: boolean;
  readonly onEdit: (edits: ReviewEdits) => void;
  /** Writes typed text now instead of after the pause (leaving the field). */
  readonly onFlush: () => void;
  readonly onDelete: () => void;
}

/**
 * What may still change about one capture before it is sent: body site and side, notes, the
 * wound label (wound care) and, for dermoscope stills, the dermoscope's optics. Whom it belongs
 * to is not editable: that was bound at the shutter.
 */
export function ReviewPanel({ review, error, woundLabel, onEdit, onFlush, onDelete }: Props) {
  const confirmDelete = () => {
    if (window.confirm(t.confirmDelete)) onDelete();
  };
  return (
    <div className="review-panel" data-testid="review-panel" aria-label={t.panel}>
      {review.recovered && (
        <p className="state state--warning" data-testid="review-recovered">
          {t.recovered}
        </p>
      )}
      <RegionPicker
        value={review.region}
        // A video keeps a body site (its IOD requires one): it can be changed, not cleared.
        onChange={(site) => {
          if (site) onEdit({ region: site });
          else if (review.medium === 'still') onEdit({ region: null });
        }}
        testIdPrefix="review-"
      />
      {woundLabel && (
        <label>
          {t.woundLabel}{' '}
          <input
            value={review.woundLabel ?? ''}
            maxLength={64}
            placeholder={t.woundLabelHint}
            title={t.woundLabelHint}
            onChange={(e) => onEdit({ woundLabel: e.target.value })}
            onBlur={onFlush}
            data-testid="review-wound-label"
          />
        </label>
      )}
      <label className="review-panel__notes">
        {t.notes}{' '}
        <textarea
          value={review.notes ?? ''}
          maxLength={1024}
          rows={2}
          onChange={(e) => onEdit({ notes: e.target.value })}
          onBlur={onFlush}
          data-testid="review-notes"
        />
      </label>
      {review.dermoscope && (
        <DermoscopyFields
          value={review.dermoscopy ?? {}}
          onChange={(dermoscopy) => onEdit({ dermoscopy })}
        />
      )}
      <button type="button" onClick={confirmDelete} data-testid="review-delete">
        {t.delete}
      </button>
      {error && (
        <p className="state state--error" role="alert" data-testid="review-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** PS3.3 C.8.12.13: polarization, contact (with immersion medium) and magnification. */
function DermoscopyFields({
  value,
  onChange,
}: {
  value: DermoscopySettings;
  onChange: (settings: DermoscopySettings) => void;
}) {
  const set = (change: Partial<DermoscopySettings>) => {
    const next: Record<string, unknown> = { ...value, ...change };
    for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key];
    if (next.contact !== 'CONTACT') delete next.immersion;
    onChange(next);
  };
  return (
    <fieldset className="review-panel__optics" data-testid="review-dermoscopy">
      <CodeSelect
        label={t.polarization}
        value={value.polarization}
        options={{ POLARIZED: t.polarized, NON_POLARIZED: t.nonPolarized }}
        onChange={(polarization) => set({ polarization })}
        testId="review-polarization"
      />
      <CodeSelect
        label={t.contact}
        value={value.contact}
        options={{ CONTACT: t.contactYes, NON_CONTACT: t.contactNo }}
        onChange={(contact) => set({ contact })}
        testId="review-contact"
      />
      {value.contact === 'CONTACT' && (
        <CodeSelect
          label={t.immersion}
          value={value.immersion}
          options={t.immersionMedia}
          onChange={(immersion) => set({ immersion })}
          testId="review-immersion"
        />
      )}
      <label>
        {t.magnification}{' '}
        <input
          type="number"
          min={1}
          max={1000}
          step={0.5}
          value={value.magnification ?? ''}
          onChange={(e) => {
            const n = Number(e.target.value);
            set({ magnification: e.target.value && n > 0 && n <= 1000 ? n : undefined });
          }}
          data-testid="review-magnification"
        />
      </label>
    </fieldset>
  );
}

/** A choice among a DICOM attribute's enumerated values, or "not stated" (an empty Type 2 value). */
function CodeSelect<T extends string>(props: {
  label: string;
  value: T | undefined;
  options: Readonly<Record<T, string>>;
  onChange: (value: T | undefined) => void;
  testId: string;
}) {
  const codes = Object.keys(props.options) as T[];
  return (
    <label>
      {props.label}{' '}
      <select
        value={props.value ?? ''}
        onChange={(e) => props.onChange(codes.find((code) => code === e.target.value))}
        data-testid={props.testId}
      >
        <option value="">{t.unknown}</option>
        {codes.map((code) => (
          <option key={code} value={code}>
            {props.options[code]}
          </option>
        ))}
      </select>
    </label>
  );
}
