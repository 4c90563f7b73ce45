import { join } from 'node:path';
import type { Destination, StationConfig } from '../config/schema';

export interface ResolvedDestination {
  readonly name: string;
  readonly destination: Destination;
  /** The built-in local archive folder used when none is configured. */
  readonly demo: boolean;
}

/** Name of the built-in destination: Part-10 files plus a DICOMDIR under the data folder. */
export const DEMO_DESTINATION_NAME = 'local-archive';

/**
 * The destinations in force: the configured ones, or — with none configured — one local archive
 * folder under the data folder (issue 2, item 5), so a new station never has nowhere to send.
 */
export function resolveDestinations(
  config: StationConfig,
  dataFolder: string,
): ResolvedDestination[] {
  const configured = Object.entries(config.destinations);
  if (configured.length > 0) {
    return configured.map(([name, destination]) => ({ name, destination, demo: false }));
  }
  const destination: Destination = { type: 'folder', path: join(dataFolder, 'archive') };
  return [{ name: DEMO_DESTINATION_NAME, destination, demo: true }];
}
