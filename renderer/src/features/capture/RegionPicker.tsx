import type { BodySite } from '../../../../preload/contract';
import regions from '../../../../resources/anatomy/regions.json';
import { strings } from '../../i18n/strings';

interface Region {
  readonly code: string;
  readonly meaning: string;
  readonly paired: boolean;
}

const REGIONS: readonly Region[] = (regions.regions as Region[])
  .slice()
  .sort((a, b) => a.meaning.localeCompare(b.meaning));

/**
 * Body site (SNOMED CT, resources/anatomy) and, for paired sites, the side. `testIdPrefix` tells
 * two pickers on one screen apart (the shutter's default and the review panel's).
 */
export function RegionPicker({
  value,
  onChange,
  testIdPrefix = '',
}: {
  value: BodySite | undefined;
  onChange: (site: BodySite | undefined) => void;
  testIdPrefix?: string;
}) {
  const region = REGIONS.find((r) => r.code === value?.code);
  return (
    <span className="region-picker">
      <label>
        {strings.capture.region}{' '}
        <select
          value={value?.code ?? ''}
          onChange={(e) => onChange(e.target.value ? { code: e.target.value } : undefined)}
          data-testid={`${testIdPrefix}region-select`}
        >
          <option value="">—</option>
          {REGIONS.map((r) => (
            <option key={r.code} value={r.code}>
              {r.meaning}
            </option>
          ))}
        </select>
      </label>
      {region?.paired && (
        <select
          aria-label={strings.capture.laterality}
          value={value?.laterality ?? ''}
          onChange={(e) =>
            onChange({
              code: region.code,
              ...(e.target.value ? { laterality: e.target.value as 'L' | 'R' | 'B' } : {}),
            })
          }
          data-testid={`${testIdPrefix}laterality-select`}
        >
          <option value="">{strings.capture.laterality}</option>
          <option value="L">{strings.capture.left}</option>
          <option value="R">{strings.capture.right}</option>
          <option value="B">{strings.capture.both}</option>
        </select>
      )}
    </span>
  );
}
