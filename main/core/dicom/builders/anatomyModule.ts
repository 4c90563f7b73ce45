import type { NaturalDataset } from 'dcmjs';
import { findRegion, regionCode } from '../anatomy';
import type { CaptureContext } from '../context';
import { ContextError } from '../errors';

/**
 * Anatomic Region Sequence (PS3.3 10.5 General Anatomy Macros, CID 4) with Image Laterality
 * (PS3.3 C.7.6.2: R, L, B, or U for an unpaired structure), and Body Part Examined (PS3.16
 * Annex L term). Throws ContextError for a code outside resources/anatomy/regions.json, or a paired
 * region without laterality (the wrong side is a patient-safety hazard, so it is never guessed).
 */
export function anatomyAttributes(
  context: CaptureContext,
  options: { regionRequired?: boolean } = {},
): NaturalDataset {
  const chosen = context.region;
  if (!chosen) {
    if (options.regionRequired)
      throw new ContextError('this kind of capture needs an anatomic region');
    // Type 1C: present only when the region is known (dciodvfy rejects an empty sequence).
    return { ImageLaterality: 'U' };
  }
  const region = findRegion(chosen.code);
  if (!region) throw new ContextError(`unknown anatomic region code ${chosen.code}`);
  if (region.paired && !chosen.laterality) {
    throw new ContextError(`${region.meaning} is a paired region: give its laterality (L, R or B)`);
  }
  return {
    AnatomicRegionSequence: [regionCode(region)],
    ImageLaterality: chosen.laterality ?? 'U',
    BodyPartExamined: region.bodyPart,
  };
}
