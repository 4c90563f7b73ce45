import type { WorklistSource as WorklistServerConfig } from '../config/schema';
import { StationError } from '../rpc/dispatch';
import type { WorklistSource } from './WorklistSource';

/**
 * Stand-in for a configured worklist server until the DIMSE C-FIND source is wired (issue 4):
 * says plainly that the list cannot be fetched, rather than showing demo patients as if real.
 */
export function createUnavailableWorklist(server: WorklistServerConfig): WorklistSource {
  return {
    label: server.calledAeTitle,
    demo: false,
    query() {
      return Promise.reject(
        new StationError(
          `worklist server ${server.calledAeTitle} (${server.host}:${server.port}) is configured, but this build cannot query it yet; remove "worklist" from the configuration to use the demo list`,
          'unavailable',
        ),
      );
    },
  };
}
