import type { sourceMethods } from '../../../../preload/features/sources';
import type { Handlers } from '../../rpc/dispatch';
import type { StationParts } from '../parts';

/** Handlers for the methods in preload/features/sources.ts. */
export function sourcesHandlers(_parts: StationParts): Pick<Handlers, keyof typeof sourceMethods> {
  return {};
}
