import type { StationApi } from '../../../preload/contract';
import { createWebSocketStation } from './webSocketClient';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in browser mode. */
    station?: StationApi;
  }
}

let instance: StationApi | undefined;

/**
 * The only door to the station (ARCHITECTURE.md): Electron's `window.station`, or the
 * browser-mode WebSocket client. Components get it through this function, never from `window`.
 */
export function station(): StationApi {
  instance ??= window.station ?? createWebSocketStation();
  return instance;
}
