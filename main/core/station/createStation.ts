import { join } from 'node:path';
import { version } from '../../../package.json';
import type { EventName, EventPayload, Notice, StationInfo } from '../../../preload/contract';
import { CaptureService, type CaptureSink } from '../capture/CaptureService';
import { RecordingService } from '../capture/RecordingService';
import { loadConfig, type LoadedConfig } from '../config/loadConfig';
import { FileLogger, type Logger } from '../log/Logger';
import { StationError, type Handlers } from '../rpc/dispatch';
import { createDemoWorklist } from '../worklist/demoWorklist';
import type { WorklistSource } from '../worklist/WorklistSource';
import { createDimseWorklist } from '../worklist/dimseWorklist';
import { resolveDestinations } from './destinations';
import { StationOutbox } from './stationOutbox';
import { StationHid } from './stationHid';
import type { HidBackend } from '../hid';
import type { SecretSource } from '../outbox/secrets';
import { mediaImportHandlers } from './features/mediaImportHandlers';
import { reviewHandlers } from './features/reviewHandlers';
import { sourcesHandlers } from './features/sourcesHandlers';
import type { StationParts } from './parts';

export type EventListener = (name: EventName, payload: unknown) => void;

/** A running station's core: what both transports (Electron IPC, browser mode) and tests use. */
export interface Station {
  readonly handlers: Handlers;
  readonly log: Logger;
  readonly dataFolder: string;
  readonly configFile: string | undefined;
  onEvent(listener: EventListener): () => void;
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
  close(): Promise<void>;
}

export interface CreateStationOptions {
  readonly configFile?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Override the worklist source (tests, or a DIMSE source built by the caller). */
  readonly worklist?: WorklistSource;
  /**
   * Foot pedals and HID scanners: the backend to use (node-hid in the app, a ReplayBackend in
   * tests). Absent: no HID (the CLI and most tests need none).
   */
  readonly hid?: HidBackend | 'node-hid';
  /** Where named secrets come from (the app: OS keychain); default: 0600 files. */
  readonly secrets?: SecretSource;
  /** Where saved captures go; default: the station's outbox, which sends them on. */
  readonly captureSink?: CaptureSink;
}

/**
 * Loads and validates the configuration, opens the log, and wires the contract's handlers.
 * Throws ConfigError (naming the field and the expected form) on a bad configuration file, before
 * anything is started: the station never runs half-configured.
 */
export function createStation(options: CreateStationOptions = {}): Station {
  const loaded = loadConfig({ file: options.configFile, env: options.env });
  const log = new FileLogger({ folder: join(loaded.dataFolder, 'logs') });
  const worklist = options.worklist ?? defaultWorklist(loaded);
  const listeners = new Set<EventListener>();
  const info = stationInfo(loaded, worklist);
  const outbox = new StationOutbox(loaded.config, loaded.dataFolder, log, options.secrets);
  const capture = new CaptureService({
    config: loaded.config,
    workFolder: join(loaded.dataFolder, 'work'),
    sink: options.captureSink ?? ((file) => outbox.accept(file)),
    log,
  });
  const recordings = new RecordingService(join(loaded.dataFolder, 'recordings'));
  // Notices are kept too: one raised at start (a recording left behind) comes before any window.
  const notices: Notice[] = [];
  const emit = <E extends EventName>(name: E, payload: EventPayload<E>) => {
    if (name === 'notice') keepNotice(notices, payload as Notice);
    for (const listener of listeners) listener(name, payload);
  };
  outbox.onChange((status) => emit('outboxChanged', status));
  const hid = options.hid
    ? new StationHid(
        loaded.dataFolder,
        options.hid === 'node-hid' ? undefined : options.hid,
        log,
        emit,
      )
    : undefined;
  const noHid = () =>
    new StationError('this station runs without pedal and HID scanner support', 'unavailable');
  log.info('station started', { configFile: loaded.file ?? null, demoWorklist: worklist.demo });
  const closers: (() => Promise<void>)[] = [];
  const parts: StationParts = {
    loaded,
    dataFolder: loaded.dataFolder,
    log,
    worklist,
    capture,
    recordings,
    outbox,
    emit,
    onClose: (close) => closers.push(close),
  };

  const handlers: Handlers = {
    getStationInfo: () => Promise.resolve(info),
    getNotices: () => Promise.resolve([...notices]),
    queryWorklist: async (query) => {
      const items = await worklist.query(query ?? {});
      return { items, source: worklist.label, demo: worklist.demo };
    },
    startUnscheduled: ({ patient }) => Promise.resolve(capture.startUnscheduled(patient)),
    getOutboxStatus: () => outbox.status(),
    controlOutbox: (request) => outbox.control(request),
    getHidStatus: () =>
      hid
        ? hid.status()
        : Promise.resolve({ unavailable: noHid().message, devices: [], bindings: [] }),
    bindPedalKey: ({ code, action }) => (hid ? hid.bindKey(code, action) : Promise.reject(noHid())),
    learnPedal: ({ action, timeoutMs }) =>
      hid ? hid.learn(action, timeoutMs) : Promise.reject(noHid()),
    startRecording: (start) => recordings.start(start),
    appendRecording: (chunk) => recordings.append(chunk),
    ...sourcesHandlers(parts),
    ...reviewHandlers(parts),
    ...mediaImportHandlers(parts),
  };

  return {
    handlers,
    log,
    dataFolder: loaded.dataFolder,
    configFile: loaded.file,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit,
    async close() {
      listeners.clear();
      for (const close of closers.reverse()) await close();
      await recordings.close();
      await hid?.close();
      await outbox.close();
      log.info('station stopped');
    },
  };
}

function defaultWorklist(loaded: LoadedConfig): WorklistSource {
  const { config } = loaded;
  if (!config.worklist)
    return createDemoWorklist(config.station.aeTitle, config.station.department);
  return createDimseWorklist(config);
}

function stationInfo(loaded: LoadedConfig, worklist: WorklistSource): StationInfo {
  const { station } = loaded.config;
  const destinations = resolveDestinations(loaded.config, loaded.dataFolder);
  return {
    name: station.name,
    aeTitle: station.aeTitle,
    institution: station.institution,
    department: station.department,
    version,
    demoWorklist: worklist.demo,
    demoDestination: destinations.every((d) => d.demo),
    destinations: destinations.map((d) => ({
      name: d.name,
      type: d.destination.type,
      demo: d.demo,
    })),
    dataFolder: loaded.dataFolder,
    scanner: loaded.config.scanner,
  };
}

/** The newest warnings and errors, at most MAX_NOTICES (info is only pushed, not kept). */
const MAX_NOTICES = 20;
function keepNotice(notices: Notice[], notice: Notice): void {
  if (notice.level === 'info') return;
  notices.push(notice);
  if (notices.length > MAX_NOTICES) notices.shift();
}
