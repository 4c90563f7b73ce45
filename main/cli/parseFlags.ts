import { parseArgs } from 'node:util';
import { CliUsageError } from './types';

type FlagSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

/**
 * Thin wrapper over node:util parseArgs that turns its errors into CliUsageError (exit 2 with
 * usage) instead of a stack trace.
 */
export function parseFlags<T extends FlagSpec>(argv: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
}
