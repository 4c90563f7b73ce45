import type { WebSocket } from 'ws';
import { eventNames, events, type EventName } from '../../preload/contract';
import { CallMessage, type ServerMessage } from '../../preload/wire';
import { dispatch } from '../core/rpc/dispatch';
import type { Station } from '../core/station/createStation';

/**
 * Serves the contract on one authenticated WebSocket: each `call` goes through the same
 * validating dispatcher as Electron IPC; station events are validated and pushed to the client.
 */
export function serveContractOn(socket: WebSocket, station: Station): void {
  const send = (message: ServerMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };

  const unsubscribe = station.onEvent((name: EventName, payload: unknown) => {
    if (!eventNames.includes(name) || !events[name].safeParse(payload).success) {
      station.log.warn('dropped an invalid station event', { name });
      return;
    }
    send({ type: 'event', event: name, payload });
  });
  socket.on('close', unsubscribe);

  socket.on('message', (data, isBinary) => {
    const text = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    const message = isBinary ? undefined : parseCall(text.toString('utf8'));
    if (!message) {
      socket.close(1003, 'expected a JSON call message');
      return;
    }
    void dispatch(station.handlers, message.method, message.payload, (method, error) =>
      station.log.error('contract method failed', { method, error }),
    ).then((result) => send({ type: 'result', id: message.id, ...result }));
  });
}

function parseCall(text: string): CallMessage | undefined {
  try {
    const parsed = CallMessage.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
