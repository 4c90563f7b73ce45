/**
 * The frame every `capture-station <command>` plugs into (main/cli.ts).
 * A command parses its own flags from `argv`, writes results to `ctx.out`, and either returns
 * normally (exit 0) or throws: the frame prints one line `capture-station <cmd>: <message>` to
 * stderr and exits non-zero. Throw a CliUsageError for bad flags (exit 2).
 */
export interface CliContext {
  /** Value of the global `--config FILE`, when given. */
  readonly configPath: string | undefined;
  /** `--json`: print machine-readable lines (one JSON object per line) instead of prose. */
  readonly json: boolean;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Aborted on SIGINT/SIGTERM so long commands can cancel cleanly (e.g. C-CANCEL a worklist query). */
  readonly signal: AbortSignal;
}

export interface CliCommand {
  readonly name: string;
  /** One line for `capture-station --help`. */
  readonly summary: string;
  /** Usage lines for `capture-station <name> --help`. */
  readonly usage: string;
  run(argv: readonly string[], ctx: CliContext): Promise<void>;
}

/** Bad flags or arguments: the frame prints the message plus the command's usage and exits 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}
