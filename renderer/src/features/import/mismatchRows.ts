import type { MismatchShape, OutsidePatient } from '../../../../preload/features/mediaImport';
import { formatDicomDate, formatPersonName } from '../../components/format';
import { strings } from '../../i18n/strings';
import { formatPn } from './formatPn';
import type { PatientChoice } from './importChoices';

const t = strings.mediaImport;

/** One outside patient whose chosen local patient differs, as checkReconciliation said. */
export interface PendingMismatch {
  readonly outsideKey: string;
  readonly outside: OutsidePatient;
  readonly choice: PatientChoice;
  /** Exactly as checkReconciliation returned them: confirmed, they are sent back as such. */
  readonly mismatches: readonly MismatchShape[];
}

export interface ShownValue {
  readonly text: string;
  /** The station found this value different from the local patient's. */
  readonly differs: boolean;
}

export interface MismatchRow {
  readonly label: string;
  /** Every value of the disc's patient: the first image's, then each one that differs. */
  readonly outside: readonly ShownValue[];
  readonly local: string;
  /** Which attributes differ in this row ('given name'…), empty when none. */
  readonly differing: readonly MismatchShape['attribute'][];
}

const NAME_ATTRIBUTES: readonly MismatchShape['attribute'][] = ['family name', 'given name'];

/**
 * The disc's values of one row: the first image's value (kept for context even when it agrees),
 * then every differing value the station found on any image, each once, in its order.
 */
function outsideValues(
  first: string,
  differing: readonly MismatchShape[],
  show: (value: string) => string,
): ShownValue[] {
  const values: ShownValue[] = [];
  const add = (value: string, differs: boolean) => {
    const text = show(value);
    const at = values.findIndex((v) => v.text === text);
    if (at < 0) values.push({ text, differs });
    else if (differs) values[at] = { text, differs };
  };
  if (!differing.some((m) => m.outside === first)) add(first, false);
  for (const m of differing) add(m.outside, true);
  return values;
}

/**
 * The rows the mismatch dialog shows for one outside patient: name, Patient ID, birth date and
 * sex, the disc's side listing every value the station found different (a disc with DOE^JANE and
 * ROE^RICHARD under one ID shows ROE^RICHARD), the local side the chosen patient's.
 */
export function mismatchRows(p: PendingMismatch): MismatchRow[] {
  const of = (attributes: readonly MismatchShape['attribute'][]) =>
    p.mismatches.filter((m) => attributes.includes(m.attribute));
  const attributesOf = (found: readonly MismatchShape[]) => [
    ...new Set(found.map((m) => m.attribute)),
  ];
  const names = of(NAME_ATTRIBUTES);
  const births = of(['birth date']);
  const sexes = of(['sex']);
  const local = p.choice.patient;
  const orDash = (text: string) => text || '—';
  const withIssuer = (id: string, issuer: string | undefined) =>
    issuer ? `${id} (${issuer})` : id;
  return [
    {
      label: t.name,
      outside: outsideValues(p.outside.name, names, (v) => orDash(formatPn(v))),
      local: orDash(formatPersonName(local.name)),
      differing: attributesOf(names),
    },
    {
      label: t.patientId,
      outside: [
        {
          text: orDash(withIssuer(p.outside.patientId, p.outside.issuerOfPatientId)),
          differs: false,
        },
      ],
      local: withIssuer(local.id, local.issuer),
      differing: [],
    },
    {
      label: t.born,
      outside: outsideValues(p.outside.birthDate, births, formatDicomDate),
      local: formatDicomDate(local.birthDate),
      differing: attributesOf(births),
    },
    {
      label: t.sex,
      outside: outsideValues(p.outside.sex, sexes, orDash),
      local: orDash(local.sex ?? ''),
      differing: attributesOf(sexes),
    },
  ];
}
