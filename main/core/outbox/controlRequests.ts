/**
 * Control requests: the only way a process that does not send (a follower, `maySend: false`)
 * changes job state. The sender (the spool lock's holder) owns job state: it never re-reads a job
 * it knows, its own later journal lines win, and its compaction keeps its view of each job — so a
 * follower's own job-record line or control.json write used to be lost (a cancel made in the app
 * while `queue run` sent was sent anyway). A follower therefore writes a request instead, and the
 * sender applies it through its own control code, then removes it (ControlApplier.applyRequested).
 *
 * One request is one small file `<spool>/requests/<time>-<seq>-<random>.json`, written durably
 * (temporary name, fdatasync, rename, folder fsync: durableFiles.ts), so the sender never reads
 * half of one and a follower's call resolves only once its request survives a crash. Names sort
 * oldest first (milliseconds, then a per-process sequence). Everything read back is validated;
 * the sender moves what does not validate into `requests/rejected/` and logs it.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { syncFolder, TEMP_PREFIX, writeFileDurably } from '../fs/durableFiles';
import type { Logger } from '../log/Logger';
import { JobRecord } from './jobTypes';

/** Which deliveries a control acts on: one item at one destination, or all of a destination. */
export interface ControlTarget {
  readonly destination: string;
  readonly jobId?: string;
}

const Target = {
  version: z.literal(1),
  destination: z.string().min(1),
  jobId: JobRecord.shape.id.optional(),
  /** When the person asked (the follower's clock), for the log. */
  requestedAt: z.string().min(1),
};

export const ControlRequest = z.discriminatedUnion('action', [
  z.object({ ...Target, action: z.enum(['pause', 'resume', 'retry']) }).strict(),
  // A cancel is never sent again: the person's confirmation travels with it (Outbox.cancel).
  z.object({ ...Target, action: z.literal('cancel'), confirmed: z.literal(true) }).strict(),
]);
export type ControlRequest = z.infer<typeof ControlRequest>;
export type ControlAction = ControlRequest['action'];

/** A request found in the spool; `id` names its file until it is removed. */
export interface PendingControl {
  readonly id: string;
  readonly request: ControlRequest;
}

export function controlRequest(
  action: ControlAction,
  target: ControlTarget,
  requestedAt: string,
): ControlRequest {
  const common = {
    version: 1 as const,
    destination: target.destination,
    ...(target.jobId === undefined ? {} : { jobId: target.jobId }),
    requestedAt,
  };
  return action === 'cancel' ? { ...common, action, confirmed: true } : { ...common, action };
}

/** A temporary a follower left when it died mid-write is removed after this long. */
const STALE_TEMPORARY_MS = 60 * 60 * 1000;
const REJECTED = 'rejected';

export class ControlRequests {
  constructor(
    readonly folder: string,
    private readonly logger?: Logger,
  ) {}

  /**
   * Resolves with the request's id once it is durable; rejects (nothing written) when it cannot
   * be written.
   */
  async write(request: ControlRequest): Promise<string> {
    await mkdir(this.folder, { recursive: true, mode: 0o700 });
    const id = sortableName();
    await writeFileDurably(join(this.folder, `${id}.json`), JSON.stringify(request));
    return id;
  }

  /**
   * Requests waiting, oldest first. A file removed while this reads (the sender applied it) is
   * left out. `discardInvalid` (the sender only): a file that is not a valid request is moved
   * to `rejected/` and logged, and stale temporaries are removed; otherwise both are skipped.
   */
  async pending(options: { discardInvalid: boolean }): Promise<PendingControl[]> {
    let entries;
    try {
      entries = await readdir(this.folder, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const names = entries.filter((e) => e.isFile()).map((e) => e.name);
    const found: PendingControl[] = [];
    for (const name of names.sort()) {
      if (name.startsWith(TEMP_PREFIX)) {
        if (options.discardInvalid) await this.removeIfStale(name);
        continue;
      }
      const text = await readOrUndefined(join(this.folder, name));
      if (text === undefined) continue;
      const parsed = ControlRequest.safeParse(safeJson(text));
      if (parsed.success && name.endsWith('.json'))
        found.push({ id: name.slice(0, -'.json'.length), request: parsed.data });
      else if (options.discardInvalid) await this.reject(name);
    }
    return found;
  }

  /** Removes an applied (or dropped) request durably; one already gone is fine. */
  async remove(id: string): Promise<void> {
    await rm(join(this.folder, `${id}.json`), { force: true });
    await syncFolder(this.folder);
  }

  private async reject(name: string): Promise<void> {
    const aside = join(this.folder, REJECTED);
    await mkdir(aside, { recursive: true, mode: 0o700 });
    try {
      await rename(join(this.folder, name), join(aside, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // removed meanwhile
      throw error;
    }
    await syncFolder(this.folder);
    this.logger?.error('outbox: malformed control request moved aside, not applied', {
      file: join(REJECTED, name),
    });
  }

  private async removeIfStale(name: string): Promise<void> {
    const path = join(this.folder, name);
    const stats = await stat(path).catch(() => undefined);
    if (stats && Date.now() - stats.mtimeMs > STALE_TEMPORARY_MS) await rm(path, { force: true });
  }
}

let lastTime = 0;
let sequence = 0;

/** Sorts in the order this process wrote its requests, and by time across processes. */
function sortableName(): string {
  const now = Date.now();
  if (now > lastTime) {
    lastTime = now;
    sequence = 0;
  } else sequence += 1; // same millisecond, or the clock went back: keep this process's order
  const time = lastTime.toString(36).padStart(9, '0');
  return `${time}-${sequence.toString(36).padStart(4, '0')}-${randomBytes(4).toString('hex')}`;
}

async function readOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
