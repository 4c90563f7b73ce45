import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { redact, redactText } from './redact';

export type LogLevel = 'info' | 'warn' | 'error';

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface FileLoggerOptions {
  readonly folder: string;
  readonly fileName?: string;
  /** Rotate when the current file passes this size. */
  readonly maxBytes?: number;
  /** Rotated files kept: station.log.1 … station.log.N. */
  readonly keep?: number;
  /** Also echo lines here (e.g. stderr in a CLI); defaults to nothing. */
  readonly echo?: (line: string) => void;
}

/**
 * A JSON-lines log in the data folder, rotated by size. Writes are synchronous and small so a
 * crash never loses the line that explains it; every line is redacted (no password or token ever
 * reaches the file). A log that cannot be written never breaks the station: the failure is dropped.
 */
export class FileLogger implements Logger {
  private readonly file: string;
  private readonly maxBytes: number;
  private readonly keep: number;
  private size: number;

  constructor(private readonly options: FileLoggerOptions) {
    mkdirSync(options.folder, { recursive: true });
    this.file = join(options.folder, options.fileName ?? 'station.log');
    this.maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
    this.keep = options.keep ?? 5;
    this.size = fileSize(this.file);
  }

  info(message: string, fields?: Record<string, unknown>): void {
    this.write('info', message, fields);
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.write('warn', message, fields);
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.write('error', message, fields);
  }

  private write(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    const entry = {
      time: new Date().toISOString(),
      level,
      message: redactText(message),
      ...(fields ? { fields: redact(fields) } : {}),
    };
    const line = JSON.stringify(entry) + '\n';
    try {
      if (this.size + line.length > this.maxBytes) this.rotate();
      appendFileSync(this.file, line);
      this.size += Buffer.byteLength(line);
    } catch {
      // The log is a diagnostic aid; a full disk must not stop a capture.
    }
    this.options.echo?.(line.trimEnd());
  }

  private rotate(): void {
    rmSync(`${this.file}.${this.keep}`, { force: true });
    for (let i = this.keep - 1; i >= 1; i--) {
      try {
        renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`);
      } catch {
        // a missing generation is fine
      }
    }
    try {
      renameSync(this.file, `${this.file}.1`);
    } catch {
      // nothing to rotate yet
    }
    this.size = 0;
  }
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
