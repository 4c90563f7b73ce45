/**
 * `npm start`: the Electron station where the Electron runtime exists; otherwise browser mode,
 * said in one line, opened in Chromium or Chrome in `--app` mode when one is installed.
 * Plain Node: it never imports electron (a bare require would try to download the binary).
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from './app/electronBinary';
import { findBrowser } from './launch/runtimes';
import { portFromEnv, startBrowserMode } from './serve/start';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

function startElectron(binary: string): void {
  const child = spawn(binary, [PROJECT_ROOT], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}

async function startBrowserFallback(reason: string): Promise<void> {
  console.log(
    `Electron runtime not available (${reason}): starting the station in browser mode instead.`,
  );
  const mode = await startBrowserMode({ port: portFromEnv(), hid: 'node-hid' });
  const url = mode.server.urlWithToken;
  const browser = findBrowser();
  const shutdown = () => void mode.stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  if (!browser || process.env.CAPTURE_STATION_NO_BROWSER === '1') {
    console.log(`Open ${url}`);
    return;
  }
  console.log(`Opening ${browser} at ${url}`);
  const profile = join(mode.station.dataFolder, 'browser-profile');
  mkdirSync(profile, { recursive: true });
  const args = [
    `--app=${url}`,
    `--user-data-dir=${profile}`,
    '--no-first-run',
    '--disable-background-networking',
  ];
  // Chromium refuses to run as root with its sandbox; only then is it turned off.
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  const child = spawn(browser, args, { stdio: 'ignore' });
  child.on('error', () => console.log(`Could not open ${browser}; open ${url}`));
  child.on('exit', shutdown);
}

async function main(): Promise<void> {
  const electron = findElectronBinary({
    packageDir: join(PROJECT_ROOT, 'node_modules', 'electron'),
  });
  if (electron) startElectron(electron);
  else await startBrowserFallback('its binary is not installed, and its download is blocked here');
}

main().catch((error: unknown) => {
  console.error(`capture-station: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
