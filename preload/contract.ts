/**
 * The station's one API (ARCHITECTURE.md): every method the renderer may call and every event it
 * may receive, with zod schemas that are the single source of truth for payload types. Imported by
 * the preload (Electron transport), main/app/ipc.ts and main/serve (browser transport), the core
 * dispatcher, and the renderer's api/ layer. No Electron or Node imports here.
 */
import { z } from 'zod';
import { mediaImportEvents, mediaImportMethods } from './features/mediaImport';
import { reviewEvents, reviewMethods } from './features/review';
import { sourceEvents, sourceMethods } from './features/sources';

import {
  HidStatus,
  LearnPedal,
  BindPedalKey,
  OutboxControl,
  OutboxStatus,
  PedalAction,
  RecordingChunk,
  RecordingStart,
  StationInfo,
  UnscheduledRequest,
  WorklistItem,
  WorklistQuery,
  WorklistResult,
} from './shapes';

export * from './shapes';

// ---- methods and events ---------------------------------------------------------------------

const NoInput = z.object({}).strict().optional();

/** Something a person must know that no screen asked for (e.g. a recording kept after a crash). */
export const Notice = z.object({
  level: z.enum(['info', 'warning', 'error']),
  message: z.string(),
});
export type Notice = z.infer<typeof Notice>;

/**
 * Method name → input and output schema. The channel of a method is `station:<name>`; handlers in
 * main are registered from this list, so a method cannot exist on one side only.
 */
export const methods = {
  getStationInfo: { input: NoInput, output: StationInfo },
  /** Warnings and errors noticed since the station started, e.g. before this window opened. */
  getNotices: { input: NoInput, output: z.array(Notice) },
  queryWorklist: { input: WorklistQuery, output: WorklistResult },
  /** Encounter-based imaging: a new study for this patient, accession empty. */
  startUnscheduled: { input: UnscheduledRequest, output: WorklistItem },
  getOutboxStatus: { input: NoInput, output: OutboxStatus },
  controlOutbox: { input: OutboxControl, output: OutboxStatus },
  getHidStatus: { input: NoInput, output: HidStatus },
  /** "Press the pedal now": binds the next pressed HID button to the action. */
  learnPedal: { input: LearnPedal, output: HidStatus },
  /** Binds a key of a keyboard-type pedal (its KeyboardEvent.code) to the action. */
  bindPedalKey: { input: BindPedalKey, output: HidStatus },
  startRecording: { input: RecordingStart, output: z.object({ recordingId: z.string() }) },
  appendRecording: { input: RecordingChunk, output: z.object({ bytes: z.number() }) },
  ...sourceMethods,
  ...reviewMethods,
  ...mediaImportMethods,
} as const;

/** Event name → payload schema, pushed from main to the renderer on `station-event:<name>`. */
export const events = {
  notice: Notice,
  outboxChanged: OutboxStatus,
  /** A bound foot pedal or HID button was pressed. */
  pedal: z.object({ action: PedalAction }),
  /** A HID point-of-sale scanner read a code (a wristband). */
  hidScan: z.object({ text: z.string().max(256) }),
  hidChanged: HidStatus,
  ...sourceEvents,
  ...reviewEvents,
  ...mediaImportEvents,
} as const;

export type MethodName = keyof typeof methods;
export type EventName = keyof typeof events;
export type MethodInput<M extends MethodName> = z.input<(typeof methods)[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<(typeof methods)[M]['output']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const methodNames = Object.keys(methods) as MethodName[];
export const eventNames = Object.keys(events) as EventName[];
export const methodChannel = (name: MethodName): string => `station:${name}`;
export const eventChannel = (name: EventName): string => `station-event:${name}`;

/** What crosses either transport for a call: a value, or a typed error. */
export const ErrorCode = z.enum([
  'invalid-payload',
  'unknown-method',
  'forbidden',
  'failed',
  'unavailable',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;
export const CallError = z.object({ code: ErrorCode, message: z.string() });
export type CallError = z.infer<typeof CallError>;
export type CallResult<T> = { ok: true; value: T } | { ok: false; error: CallError };

/** The API as the renderer sees it: `window.station` in Electron, a WebSocket client in a browser. */
export type StationApi = {
  [M in MethodName]: (input?: MethodInput<M>) => Promise<MethodOutput<M>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};
