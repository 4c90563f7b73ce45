import { z } from 'zod';
import regionsJson from '../../../resources/anatomy/regions.json';

/** 'L' | 'R' | 'B' as the operator picks it; PS3.3 C.7.6.2 Image Laterality uses the same letters. */
export type Laterality = 'L' | 'R' | 'B';

const Region = z.object({
  code: z.string().regex(/^\d+$/),
  meaning: z.string().min(1),
  bodyPart: z.string().regex(/^[A-Z0-9]{1,16}$/),
  group: z.string(),
  paired: z.boolean(),
});
export type AnatomicRegion = z.infer<typeof Region>;

const Coded = z.object({ code: z.string(), meaning: z.string() });
const RegionsFile = z.object({
  codingSchemeDesignator: z.literal('SCT'),
  regions: z.array(Region),
  laterality: z.object({ L: Coded, R: Coded, B: Coded }),
});

/** The body-map subset of CID 4, validated once when the module loads (a broken file fails fast). */
const data = RegionsFile.parse(regionsJson);

/** A coded concept (PS3.3 8.8 Code Sequence Macro), in dcmjs keyword form. */
export interface CodeItem {
  readonly CodeValue: string;
  readonly CodingSchemeDesignator: string;
  readonly CodeMeaning: string;
}

export const ANATOMIC_REGIONS: readonly AnatomicRegion[] = data.regions;

export function findRegion(code: string): AnatomicRegion | undefined {
  return data.regions.find((r) => r.code === code);
}

export function regionCode(region: AnatomicRegion): CodeItem {
  return { CodeValue: region.code, CodingSchemeDesignator: 'SCT', CodeMeaning: region.meaning };
}

/** CID 244 Laterality, for the Anatomic Region Modifier Sequence (PS3.3 10.5). */
export function lateralityCode(laterality: Laterality): CodeItem {
  const coded = data.laterality[laterality];
  return { CodeValue: coded.code, CodingSchemeDesignator: 'SCT', CodeMeaning: coded.meaning };
}

export function isLaterality(value: string): value is Laterality {
  return value === 'L' || value === 'R' || value === 'B';
}
