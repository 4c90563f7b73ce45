/**
 * The Electron transport of the contract (preload/contract.ts): one generic registration over the
 * contract's method list, and one forwarder for its events. No per-method code lives here; adding a
 * method to the contract and to core's Handlers is all it takes to reach it from the renderer.
 */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import {
  eventChannel,
  events,
  methodChannel,
  methodNames,
  type CallResult,
  type EventName,
  type MethodName,
} from '../../preload/contract';
import type { Logger } from '../core/log/Logger';
import { dispatch, type Handlers } from '../core/rpc/dispatch';
import { isSameOrigin } from '../core/security/origin';
import { APP_ORIGIN } from './appOrigin';

/**
 * Registers `ipcMain.handle(methodChannel(m))` for every contract method. Each call is answered
 * with a CallResult and never rejects: a sender whose frame is not on `appOrigin` gets
 * `{ ok: false, error: { code: 'forbidden' } }` before anything else happens; otherwise
 * `dispatch` validates the payload against the contract (bad payload → 'invalid-payload', the
 * handler is not called) and runs the handler. Returns a function that removes the handlers.
 */
export function registerIpc(
  handlers: Handlers,
  log: Logger,
  appOrigin: string = APP_ORIGIN,
): () => void {
  const onUnexpected = (method: string, error: unknown): void =>
    log.error('contract method failed unexpectedly', { method, error: describeError(error) });
  for (const name of methodNames) {
    ipcMain.handle(
      methodChannel(name),
      (event: IpcMainInvokeEvent, payload: unknown): Promise<CallResult<unknown>> => {
        const refusal = refuseForeignSender(event, name, appOrigin, log);
        return refusal ? Promise.resolve(refusal) : dispatch(handlers, name, payload, onUnexpected);
      },
    );
  }
  return () => methodNames.forEach((name) => ipcMain.removeHandler(methodChannel(name)));
}

/**
 * Only pages served from the app origin may call the station. `senderFrame` is null when the frame
 * has navigated away or been destroyed since it sent the call; that is refused too.
 */
function refuseForeignSender(
  event: IpcMainInvokeEvent,
  method: MethodName,
  appOrigin: string,
  log: Logger,
): CallResult<never> | undefined {
  const senderUrl = event.senderFrame?.url;
  if (isSameOrigin(senderUrl, appOrigin)) return undefined;
  log.warn('refused a contract call from a foreign frame', {
    method,
    senderUrl: senderUrl ?? null,
  });
  const message = `${method} is only available to the station's own pages`;
  return { ok: false, error: { code: 'forbidden', message } };
}

/** Where events go: the window's WebContents (structurally, so tests can pass a fake). */
export interface EventSink {
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

/**
 * A listener for `station.onEvent` that pushes each event to the current window on
 * `eventChannel(name)`. An unknown event name or a payload that fails the contract's schema is
 * logged and dropped (a core bug must not reach the renderer as data it cannot trust); no window,
 * or a destroyed one, drops the event silently.
 */
export function createEventForwarder(
  getTarget: () => EventSink | undefined,
  log: Logger,
): (name: string, payload: unknown) => void {
  return (name, payload) => {
    if (!isEventName(name)) {
      log.warn('dropped an event the contract does not name', { event: name });
      return;
    }
    const parsed = events[name].safeParse(payload);
    if (!parsed.success) {
      log.warn('dropped an event whose payload breaks the contract', {
        event: name,
        issue: parsed.error.issues[0]?.message ?? 'rejected',
      });
      return;
    }
    const target = getTarget();
    if (target && !target.isDestroyed()) target.send(eventChannel(name), parsed.data);
  };
}

function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name);
}

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
