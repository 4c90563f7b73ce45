/** Which destinations an instance goes to: routing per department and kind of capture. */
import type { Department } from '../config/schema';
import type { RoutingRule } from './outboxConfig';
import type { Router } from './runtimeTypes';

export type CaptureMedium = 'still' | 'video' | 'document' | 'other';

/** PS3.4 B.5 storage SOP classes the station produces, by medium (DOMAIN.md). */
const VIDEO_CLASSES = new Set([
  '1.2.840.10008.5.1.4.1.1.77.1.1.1', // Video Endoscopic Image
  '1.2.840.10008.5.1.4.1.1.77.1.2.1', // Video Microscopic Image
  '1.2.840.10008.5.1.4.1.1.77.1.4.1', // Video Photographic Image
]);
const STILL_PREFIX = '1.2.840.10008.5.1.4.1.1.77.1.'; // VL image storage family
const DOCUMENT_PREFIX = '1.2.840.10008.5.1.4.1.1.104.'; // Encapsulated Document family

export function mediumOf(sopClassUid: string): CaptureMedium {
  if (VIDEO_CLASSES.has(sopClassUid)) return 'video';
  if (sopClassUid.startsWith(DOCUMENT_PREFIX)) return 'document';
  if (sopClassUid.startsWith(STILL_PREFIX)) return 'still';
  return 'other';
}

/**
 * E.g. endoscopy: video to the VNA, stills to PACS and VNA. A kind without a rule goes to
 * `other` when given, else to every destination.
 */
export function routerFor(
  department: Department,
  routing: Partial<Record<Department, RoutingRule>>,
  allDestinations: readonly string[],
): Router {
  const rule = routing[department];
  return ({ sopClassUid }) => {
    if (!rule) return allDestinations;
    const medium = mediumOf(sopClassUid);
    return rule[medium] ?? rule.other ?? allDestinations;
  };
}
