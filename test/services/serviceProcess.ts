import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, openSync, readFileSync } from 'node:fs';
import { findTool } from './tools';

/** A long-running peer (Orthanc, storescp, wlmscpfs) started by the rig. */
export interface ServiceProcess {
  readonly name: string;
  readonly pid: number;
  /** stdout and stderr of the service, appended. */
  readonly logFile: string;
  /** Resolves once the process has exited and been reaped. */
  readonly exited: Promise<void>;
  hasExited(): boolean;
  /** The last `lines` lines of the log, for error messages. */
  logTail(lines?: number): string;
  /** SIGTERM, then SIGKILL if it is still running after `graceMs` (5 s). Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

/** Every child still running; the 'exit' handler kills them so none outlives the test process. */
const running = new Set<ChildProcess>();
let exitHandlerInstalled = false;

function installExitHandler(): void {
  if (exitHandlerInstalled) return;
  exitHandlerInstalled = true;
  // 'exit' handlers must be synchronous: a signal is all we can send here.
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

/**
 * Starts `command` with its output appended to `logFile`. The child stays in our process group
 * (`detached: false`) and, through util-linux `setpriv --pdeathsig SIGKILL` when available, is
 * killed by the kernel if the test process dies without running its 'exit' handlers (a crashed or
 * SIGKILLed Vitest worker). setpriv execs the command, so `pid` is the service's own PID.
 * Throws if the process cannot be spawned at all.
 */
export function spawnService(options: {
  name: string;
  command: string;
  args: readonly string[];
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}): ServiceProcess {
  installExitHandler();
  const setpriv = findTool('setpriv');
  const [file, args] =
    setpriv === undefined
      ? [options.command, [...options.args]]
      : [setpriv, ['--pdeathsig', 'SIGKILL', '--', options.command, ...options.args]];
  const logFd = openSync(options.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(file, args, {
      detached: false,
      stdio: ['ignore', logFd, logFd],
      env: { ...process.env, ...options.env },
      cwd: options.cwd,
    });
  } finally {
    // The child holds its own copy of the descriptor.
    closeSync(logFd);
  }
  // Without a listener, a failed spawn (or a failed kill) would crash the test process.
  child.on('error', (error) => {
    try {
      appendFileSync(options.logFile, `\n[rig] ${error.message}\n`);
    } catch {
      // the log directory is already gone (service stopped): nothing left to tell
    }
  });
  const pid = child.pid;
  if (pid === undefined) {
    throw new Error(`${options.name}: could not spawn ${options.command}`);
  }
  running.add(child);
  let hasExited = false;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      hasExited = true;
      running.delete(child);
      resolve();
    });
  });
  const logTail = (lines = 30): string => tailOfFile(options.logFile, lines);
  const stop = async (graceMs = 5_000): Promise<void> => {
    if (hasExited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return {
    name: options.name,
    pid,
    logFile: options.logFile,
    exited,
    hasExited: () => hasExited,
    logTail,
    stop,
  };
}

function tailOfFile(file: string, lines: number): string {
  try {
    const text = readFileSync(file, 'utf8');
    return text
      .split('\n')
      .slice(-lines - 1)
      .join('\n')
      .trimEnd();
  } catch {
    return '(no log)';
  }
}

/** A start failure; `addressInUse` tells the caller that one retry on fresh ports may succeed. */
export class ServiceStartError extends Error {
  constructor(
    message: string,
    readonly addressInUse: boolean,
  ) {
    super(message);
    this.name = 'ServiceStartError';
  }
}

/**
 * What the peers print when a port they want is taken, as observed: Orthanc "The TCP port of the
 * DICOM server is privileged or already in use", storescp "TCP Initialization Error: Address
 * already in use", wlmscpfs only "Initialization of network connection failed".
 */
const ADDRESS_IN_USE = /already in use|EADDRINUSE|Initialization of network connection failed/i;

/**
 * Polls `probe` every 100 ms until it resolves true. Fails fast with the log tail if the process
 * exits first; on timeout stops the process and throws with the log tail. Never leaves the
 * process running when it throws.
 */
export async function waitUntilReady(
  service: ServiceProcess,
  probe: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (service.hasExited()) {
      const tail = service.logTail();
      throw new ServiceStartError(
        `${service.name} exited during start-up. Log tail (${service.logFile}):\n${tail}`,
        ADDRESS_IN_USE.test(tail),
      );
    }
    // Race the probe against exit: a hung probe (e.g. an ACSE timeout) must not delay the verdict.
    const ready = await Promise.race([
      probe().catch(() => false),
      service.exited.then(() => false),
    ]);
    if (ready && !service.hasExited()) return;
    if (Date.now() > deadline) {
      await service.stop(1_000);
      const tail = service.logTail();
      throw new ServiceStartError(
        `${service.name} did not answer within ${timeoutMs} ms. Log tail (${service.logFile}):\n${tail}`,
        ADDRESS_IN_USE.test(tail),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Runs `attempt` and, if it failed because a port was taken between freePort() and the bind,
 * runs it once more (the attempt picks fresh ports itself).
 */
export async function retryOnAddressInUse<T>(attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    if (error instanceof ServiceStartError && error.addressInUse) return attempt();
    throw error;
  }
}
