/**
 * `capture-station <command>`: headless commands on the same core as the app, for IT staff and
 * scripts. Exit 0 on success; otherwise one line on stderr and a non-zero code (2: usage).
 */
import { commands } from './cli/commands/index';
import { CliUsageError, type CliCommand, type CliContext } from './cli/types';

const GLOBAL_HELP = [
  'usage: capture-station [--config FILE] [--json] <command> [options]',
  '',
  'commands:',
  ...commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`),
  '',
  "Run `capture-station <command> --help` for a command's options.",
].join('\n');

interface GlobalOptions {
  configPath: string | undefined;
  json: boolean;
  rest: string[];
}

/** Global flags may stand anywhere; they are taken out before the command parses its own. */
function splitGlobalFlags(argv: readonly string[]): GlobalOptions {
  const rest: string[] = [];
  let configPath: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--json') json = true;
    else if (arg === '--config') {
      configPath = argv[++i];
      if (!configPath) throw new CliUsageError('--config needs a file path');
    } else if (arg.startsWith('--config=')) configPath = arg.slice('--config='.length);
    else rest.push(arg);
  }
  return { configPath, json, rest };
}

export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const consoleIo: CliIo = { out: (line) => console.log(line), err: (line) => console.error(line) };

/** Runs one command line; resolves to the process exit code (never rejects). */
export async function runCli(argv: readonly string[], io: CliIo = consoleIo): Promise<number> {
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let command: CliCommand | undefined;
  try {
    const { configPath, json, rest } = splitGlobalFlags(argv);
    const [name, ...commandArgs] = rest;
    if (!name || name === '--help' || name === '-h' || name === 'help') {
      io.out(GLOBAL_HELP);
      return name ? 0 : 2;
    }
    command = commands.find((c) => c.name === name);
    if (!command) throw new CliUsageError(`unknown command "${name}"`);
    if (commandArgs.includes('--help') || commandArgs.includes('-h')) {
      io.out(command.usage);
      return 0;
    }
    const ctx: CliContext = { configPath, json, out: io.out, err: io.err, signal: abort.signal };
    await command.run(commandArgs, ctx);
    return 0;
  } catch (error) {
    const prefix = command ? `capture-station ${command.name}` : 'capture-station';
    io.err(`${prefix}: ${error instanceof Error ? error.message : String(error)}`);
    if (error instanceof CliUsageError) {
      io.err(command ? command.usage : GLOBAL_HELP);
      return 2;
    }
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

// Run only when executed as the bundled entry (out/main/cli.js), not when imported by tests.
if (process.argv[1] && /cli\.(js|cjs|mjs)$/.test(process.argv[1])) {
  void runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
