import type { mediaImportMethods } from '../../../../preload/features/mediaImport';
import type { Handlers } from '../../rpc/dispatch';
import type { StationParts } from '../parts';

/** Handlers for the methods in preload/features/mediaImport.ts. */
export function mediaImportHandlers(
  _parts: StationParts,
): Pick<Handlers, keyof typeof mediaImportMethods> {
  return {};
}
