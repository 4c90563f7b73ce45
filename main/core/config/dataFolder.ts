import { homedir } from 'node:os';
import { join } from 'node:path';

/** Folder name shared with Electron's `userData`, so the app, the CLI and browser mode agree. */
export const APP_FOLDER_NAME = 'Capture Station';

/**
 * The station's data folder: `CAPTURE_STATION_HOME` when set, else the OS user data dir
 * (the same place Electron's app.getPath('userData') points to).
 */
export function resolveDataFolder(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): string {
  const override = env.CAPTURE_STATION_HOME?.trim();
  if (override) return override;
  if (platform === 'win32')
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_FOLDER_NAME);
  if (platform === 'darwin')
    return join(homedir(), 'Library', 'Application Support', APP_FOLDER_NAME);
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), APP_FOLDER_NAME);
}

export const CONFIG_FILE_NAME = 'config.json';
