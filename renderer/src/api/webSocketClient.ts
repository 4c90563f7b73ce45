import {
  eventNames,
  events,
  methodNames,
  type EventName,
  type StationApi,
} from '../../../preload/contract';
import { ServerMessage, WS_PATH, type CallMessage } from '../../../preload/wire';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

/** A call that failed on the station side; `code` is the contract's error code. */
export class StationCallError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'StationCallError';
  }
}

/**
 * Browser-mode transport: the same StationApi as Electron's preload, over the server's
 * WebSocket (authenticated by the HttpOnly cookie the server set). Calls made while the socket
 * connects are queued; if the connection drops, pending and later calls fail with a message saying
 * so.
 */
export function createWebSocketStation(location: Location = window.location): StationApi {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WS_PATH}`;
  const socket = new WebSocket(url);
  const pending = new Map<number, Pending>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener(
      'error',
      () => reject(new Error('cannot reach the station; reload the page')),
      { once: true },
    );
  });
  let nextId = 1;

  socket.addEventListener('message', (message: MessageEvent<string>) => {
    const parsed = ServerMessage.safeParse(JSON.parse(message.data));
    if (!parsed.success) return;
    const data = parsed.data;
    if (data.type === 'event') {
      const name = data.event as EventName;
      if (!eventNames.includes(name) || !events[name].safeParse(data.payload).success) return;
      listeners.get(name)?.forEach((listener) => listener(data.payload));
      return;
    }
    const call = pending.get(data.id);
    pending.delete(data.id);
    if (!call) return;
    if (data.ok) call.resolve(data.value);
    else call.reject(new StationCallError(data.error.message, data.error.code));
  });
  socket.addEventListener('close', () => {
    for (const call of pending.values())
      call.reject(new Error('the connection to the station closed; reload the page'));
    pending.clear();
  });

  const call = (method: string, payload: unknown): Promise<unknown> => {
    const id = nextId++;
    const message: CallMessage = { type: 'call', id, method, payload };
    return new Promise((resolve, reject) => {
      const text = JSON.stringify(message);
      pending.set(id, { resolve, reject });
      const failed = (error: Error) => {
        pending.delete(id);
        reject(error);
      };
      // On an open socket the call leaves in the caller's own task, before whatever the caller
      // does next (the shutter's sound, flash, strip): awaiting first would queue it behind them.
      if (socket.readyState === WebSocket.OPEN) socket.send(text);
      else if (socket.readyState === WebSocket.CONNECTING)
        opened.then(() => socket.send(text), failed);
      else failed(new Error('the connection to the station closed; reload the page'));
    });
  };

  const api: Record<string, unknown> = {};
  for (const name of methodNames) api[name] = (input?: unknown) => call(name, input);
  api.on = (event: EventName, listener: (payload: unknown) => void) => {
    const set = listeners.get(event) ?? new Set();
    set.add(listener);
    listeners.set(event, set);
    return () => set.delete(listener);
  };
  return api as StationApi;
}
