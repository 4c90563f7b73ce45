import { spawn, type ChildProcess } from 'node:child_process';

/**
 * One long-lived /bin/sh that runs coreutils `sync --file-system` for each path written to its
 * standard input, answering one line per path: `ok`, or `failed ` and sync's message.
 *
 * Why not spawn `sync` itself each time: spawning from Node forks the whole station process — its
 * page tables copied, then every page it writes faults copy-on-write until the child has exec'd.
 * Measured here during an import (bench/import, 2,000 instances): 172 syncs, 1.2 s of the main
 * thread in ChildProcess.spawn, during which nothing else (sending included) runs. The shell is a
 * few hundred KiB; its fork costs a fraction of a millisecond.
 *
 * The path is read as data (`read -r`, passed after `--`), never as shell text. Requests are
 * answered in order; while any is pending the coprocess keeps Node's event loop alive, otherwise
 * it does not, and it ends itself after `idleMs` unused.
 */
const SCRIPT = `while IFS= read -r p; do
  if e=$("$0" --file-system -- "$p" 2>&1); then echo ok
  else printf 'failed %s\\n' "$(printf '%s' "$e" | tr '\\n' ' ')"; fi
done`;

/** What the coprocess answered for one path. */
export type SyncAnswer = { readonly ok: true } | { readonly ok: false; readonly reason: string };

interface Pending {
  readonly resolve: (answer: SyncAnswer) => void;
  readonly reject: (error: Error) => void;
}

/** Something that can be ref'd and unref'd (a ChildProcess, its stdio sockets). */
interface Refable {
  ref?(): unknown;
  unref?(): unknown;
}

export class SyncCoprocess {
  private child: ChildProcess | undefined;
  private pending: Pending[] = [];
  private received = '';
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly syncProgram: string,
    private readonly idleMs = 10_000,
  ) {}

  /** The coprocess's PID while it runs (tests). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * Resolves with sync's answer for `path`; rejects when the coprocess itself fails (could not
   * start, was killed): the caller may then sync another way. `path` must not hold a newline.
   */
  sync(path: string): Promise<SyncAnswer> {
    if (/[\n\0]/.test(path)) return Promise.reject(new Error('path holds a newline or NUL'));
    const child = this.child ?? this.start();
    clearTimeout(this.idleTimer);
    return new Promise<SyncAnswer>((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.setKeepsAlive(true);
      child.stdin?.write(`${path}\n`);
    });
  }

  /** Ends the coprocess; what is pending is rejected. */
  close(): void {
    clearTimeout(this.idleTimer);
    const child = this.child;
    this.child = undefined;
    child?.stdin?.end();
    child?.kill();
    this.fail(new Error('sync coprocess closed'));
  }

  private start(): ChildProcess {
    const child = spawn('/bin/sh', ['-c', SCRIPT, this.syncProgram], {
      stdio: ['pipe', 'pipe', 'ignore'],
      // The C locale: each `sync` otherwise opens ~15 locale files before its one system call,
      // and its messages (logged, read by IT staff) are the same everywhere.
      env: { ...process.env, LC_ALL: 'C' },
    });
    this.child = child;
    this.received = '';
    child.stdout?.setEncoding('utf8');
    // A shell that has ended may still deliver output: it answers none of the next shell's paths.
    child.stdout?.on('data', (chunk: string) => {
      if (this.child === child) this.onOutput(chunk);
    });
    const ended = (reason: string) => {
      if (this.child !== child) return;
      this.child = undefined;
      this.fail(new Error(`sync coprocess ${reason}`));
    };
    child.on('error', (error) => ended(`could not run: ${error.message}`));
    child.on('exit', (code, signal) => ended(`ended (${signal ?? `exit ${code}`})`));
    child.stdin?.on('error', (error) => ended(`stopped reading: ${error.message}`));
    this.setKeepsAlive(false);
    return child;
  }

  private onOutput(chunk: string): void {
    this.received += chunk;
    let newline = this.received.indexOf('\n');
    while (newline >= 0) {
      const line = this.received.slice(0, newline);
      this.received = this.received.slice(newline + 1);
      this.pending.shift()?.resolve(answerOf(line));
      newline = this.received.indexOf('\n');
    }
    if (this.pending.length === 0) this.becomeIdle();
  }

  private becomeIdle(): void {
    this.setKeepsAlive(false);
    clearTimeout(this.idleTimer);
    const child = this.child;
    this.idleTimer = setTimeout(() => {
      if (this.child !== child || this.pending.length > 0) return;
      this.child = undefined; // the next sync starts a new shell rather than write to this one
      child?.stdin?.end();
    }, this.idleMs);
    this.idleTimer.unref();
  }

  private fail(error: Error): void {
    for (const waiter of this.pending.splice(0)) waiter.reject(error);
  }

  private setKeepsAlive(keep: boolean): void {
    const child = this.child;
    // The stdio pipes are net.Sockets, which can be ref'd like the child itself.
    const handles = (child ? [child, child.stdin, child.stdout] : []) as (Refable | null)[];
    for (const handle of handles) {
      if (keep) handle?.ref?.();
      else handle?.unref?.();
    }
  }
}

function answerOf(line: string): SyncAnswer {
  if (line === 'ok') return { ok: true };
  const reason = line.replace(/^failed ?/, '').trim();
  return { ok: false, reason: reason || 'sync failed' };
}
