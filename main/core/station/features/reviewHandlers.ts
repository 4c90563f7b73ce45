import type { reviewMethods } from '../../../../preload/features/review';
import type { Handlers } from '../../rpc/dispatch';
import type { StationParts } from '../parts';

/** Handlers for the methods in preload/features/review.ts. */
export function reviewHandlers(_parts: StationParts): Pick<Handlers, keyof typeof reviewMethods> {
  return {};
}
