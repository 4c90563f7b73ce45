import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CONFIG_FILE_NAME, resolveDataFolder } from './dataFolder';
import { StationConfig } from './schema';

/** The configuration could not be used; `message` names the file, the field and the expected form. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface LoadedConfig {
  readonly config: StationConfig;
  /** The file it came from, or undefined when none exists and the defaults apply. */
  readonly file: string | undefined;
  readonly dataFolder: string;
}

/**
 * Reads and validates the configuration. Without a file the embedded defaults apply (demo
 * worklist, local archive folder). A file that exists but is unreadable, not JSON, or not of the
 * schema throws one ConfigError for the first problem: the station never starts half-configured.
 */
export function loadConfig(options: { file?: string; env?: NodeJS.ProcessEnv } = {}): LoadedConfig {
  const dataFolder = resolveDataFolder(options.env);
  const file = options.file ?? join(dataFolder, CONFIG_FILE_NAME);
  const text = readConfigText(file, options.file !== undefined);
  if (text === undefined) return { config: StationConfig.parse({}), file: undefined, dataFolder };
  return { config: parseConfigText(text, file), file, dataFolder };
}

function readConfigText(file: string, mustExist: boolean): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !mustExist) return undefined;
    throw new ConfigError(`${file}: cannot read the configuration file (${code ?? String(error)})`);
  }
}

/** Validates configuration text; the error names the first offending field and what it expects. */
export function parseConfigText(text: string, file: string): StationConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const result = StationConfig.safeParse(json);
  if (result.success) return result.data;
  throw new ConfigError(`${file}: ${describeIssue(result.error)}`);
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid configuration';
  const field = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
  if (issue.code === 'unrecognized_keys') {
    return `${field === '(top level)' ? '' : field + ': '}unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}; see the README for the fields a configuration takes`;
  }
  return `field "${field}": ${issue.message}`;
}
