/**
 * `npm run serve`: browser mode. Starts the station core and serves the renderer and the contract
 * on 127.0.0.1, then prints the one line a person needs: the URL with this run's token.
 */
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../core/config/loadConfig';
import {
  createStation,
  type CreateStationOptions,
  type Station,
} from '../core/station/createStation';
import { startServer, type BrowserModeServer } from './startServer';

export interface BrowserMode {
  readonly station: Station;
  readonly server: BrowserModeServer;
  stop(): Promise<void>;
}

/** Built renderer next to this bundle: out/main/serve.js → out/renderer. */
export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../renderer', import.meta.url));

export interface BrowserModeOptions {
  readonly port?: number;
  readonly rendererDir?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly configFile?: string;
  /** Foot pedals and HID scanners (see CreateStationOptions.hid). */
  readonly hid?: CreateStationOptions['hid'];
}

/** Starts core and the loopback server. Throws ConfigError on a bad configuration, before listening. */
export async function startBrowserMode(options: BrowserModeOptions = {}): Promise<BrowserMode> {
  const station = createStation({
    env: options.env,
    configFile: options.configFile,
    hid: options.hid,
  });
  const server = await startServer({
    station,
    rendererDir: options.rendererDir ?? DEFAULT_RENDERER_DIR,
    port: options.port,
  });
  station.log.info('browser mode listening', { origin: server.origin });
  return {
    station,
    server,
    async stop() {
      await server.close();
      await station.close();
    },
  };
}

/** Port from CAPTURE_STATION_PORT (0 or unset: a free port). Throws naming the variable if malformed. */
export function portFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.CAPTURE_STATION_PORT?.trim();
  if (!raw) return 0;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`CAPTURE_STATION_PORT: expected a port number 0–65535, got "${raw}"`);
  }
  return port;
}

async function main(): Promise<void> {
  try {
    const mode = await startBrowserMode({ port: portFromEnv(), hid: 'node-hid' });
    console.log(`Capture Station (browser mode) is running at ${mode.server.urlWithToken}`);
    const shutdown = () => void mode.stop().then(() => process.exit(0));
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  } catch (error) {
    console.error(`capture-station: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && /serve\.(js|mjs|cjs)$/.test(process.argv[1])) void main();
