import type { EventName, EventPayload } from '../../../preload/contract';
import type { CaptureService } from '../capture/CaptureService';
import type { RecordingService } from '../capture/RecordingService';
import type { LoadedConfig } from '../config/loadConfig';
import type { Logger } from '../log/Logger';
import type { WorklistSource } from '../worklist/WorklistSource';
import type { StationOutbox } from './stationOutbox';

/**
 * The running station's services, handed to each feature's handler factory
 * (./features/*Handlers.ts) so a feature wires its methods without editing createStation.
 */
export interface StationParts {
  readonly loaded: LoadedConfig;
  readonly dataFolder: string;
  readonly log: Logger;
  readonly worklist: WorklistSource;
  readonly capture: CaptureService;
  readonly recordings: RecordingService;
  readonly outbox: StationOutbox;
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
  /** Registers work to finish when the station closes (last registered, first closed). */
  onClose(close: () => Promise<void>): void;
}
