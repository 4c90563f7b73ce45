/**
 * Copies of one instance on a medium. A SOP Instance UID names one instance (PS3.3 C.12.1.1.1),
 * and an archive keeps one object per UID: of two files that share it, the one sent second
 * replaces the first there. Identical copies (a disc with the same series in two folders) lose
 * nothing when one is kept. Copies that differ are a damaged or forged medium, or two patients'
 * images under one UID: which one is right cannot be told from the disc, and keeping the first
 * found (by name) imported another patient's image in place of the chosen patient's. So both are
 * refused, each naming the other, for a person to sort out.
 */
import type { InstanceHeader, Refusal } from './types';

/** What copies of an instance must share to be taken as the same file (PS3.3 C.7.1.1, C.12.1). */
const COMPARED: readonly { readonly what: string; readonly of: (i: InstanceHeader) => string }[] = [
  { what: 'size', of: (i) => String(i.fileSize) },
  {
    what: 'patient',
    of: (i) =>
      JSON.stringify([
        i.patientId,
        i.issuerOfPatientId,
        i.patientName,
        i.patientBirthDate,
        i.patientSex,
      ]),
  },
  { what: 'SOP class', of: (i) => i.sopClassUid },
  { what: 'study', of: (i) => i.studyInstanceUid },
  { what: 'series', of: (i) => i.seriesInstanceUid },
];

/** The aspects (size, patient…) in which the copies do not all agree; empty when identical. */
function differences(copies: readonly InstanceHeader[]): string[] {
  return COMPARED.filter(({ of }) => new Set(copies.map(of)).size > 1).map(({ what }) => what);
}

/** ['size', 'patient', 'study'] → 'size, patient and study'. */
const inWords = (items: readonly string[]): string =>
  items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

/**
 * The instances to import, in the order given: one of each set of identical copies (the first;
 * the others refused as duplicates of it), none of copies that differ (each refused with the
 * names of the others). Keyed on the data set's SOP Instance UID (scanHeader.ts checked that the
 * meta group says the same).
 */
export function keepOneOfEach(
  instances: readonly InstanceHeader[],
  refused: Refusal[],
): InstanceHeader[] {
  const byUid = new Map<string, InstanceHeader[]>();
  for (const instance of instances) {
    const copies = byUid.get(instance.sopInstanceUid);
    if (copies) copies.push(instance);
    else byUid.set(instance.sopInstanceUid, [instance]);
  }
  const kept: InstanceHeader[] = [];
  for (const instance of instances) {
    const copies = byUid.get(instance.sopInstanceUid) ?? [instance];
    const first = copies[0] ?? instance;
    const differing = copies.length > 1 ? differences(copies) : [];
    if (differing.length > 0) {
      const others = copies.filter((c) => c !== instance).map((c) => c.path);
      refused.push({
        path: instance.path,
        reason: `conflicting copies: SOP Instance UID ${instance.sopInstanceUid} is also in ${others.join(', ')}, with a different ${inWords(differing)}; ${copies.length > 2 ? 'none' : 'neither'} is imported`,
      });
    } else if (first !== instance)
      refused.push({
        path: instance.path,
        reason: `duplicate of ${first.path} (same SOP Instance UID)`,
      });
    else kept.push(instance);
  }
  return kept;
}
