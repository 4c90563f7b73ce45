/**
 * Sandboxed preload (bundled to one CommonJS file): exposes `window.station` with one named
 * function per contract method and an `on(event, listener)` limited to the contract's events.
 * Never exposes ipcRenderer itself.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  eventChannel,
  eventNames,
  methodChannel,
  methodNames,
  type CallResult,
  type EventName,
} from './contract';

async function call(channel: string, input: unknown): Promise<unknown> {
  const result = (await ipcRenderer.invoke(channel, input)) as CallResult<unknown>;
  if (result.ok) return result.value;
  throw Object.assign(new Error(result.error.message), { code: result.error.code });
}

const api: Record<string, unknown> = {};
for (const name of methodNames) {
  const channel = methodChannel(name);
  api[name] = (input?: unknown) => call(channel, input);
}

api.on = (event: EventName, listener: (payload: unknown) => void): (() => void) => {
  if (!eventNames.includes(event)) throw new Error(`no such event: ${String(event)}`);
  const channel = eventChannel(event);
  const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
  ipcRenderer.on(channel, wrapped);
  return () => ipcRenderer.removeListener(channel, wrapped);
};

contextBridge.exposeInMainWorld('station', api);
