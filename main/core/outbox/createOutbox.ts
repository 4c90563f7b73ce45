/**
 * Builds the station's outbox from its configuration: spool in `<dataFolder>/outbox`, one sender
 * per destination in force (the DEMO local archive folder when none is configured), routing per
 * department, and the outbox settings.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { StationConfig } from '../config/schema';
import { dimseDestination } from '../dimse/peer';
import type { Logger } from '../log/Logger';
import { resolveDestinations, type ResolvedDestination } from '../station/destinations';
import { SpoolLockedError } from './errors';
import { FileJobStore } from './JobStore';
import { acquireSpoolLock, spoolSender, type SpoolLock } from './spoolLock';
import { Outbox } from './Outbox';
import { outboxSettingsOf, type OutboxSettings, type StowAuth } from './outboxConfig';
import { routerFor } from './routing';
import type { Clock, DestinationBinding, Timers } from './runtimeTypes';
import type { Sender } from './senderTypes';
import { dimseSender, type Committer } from './senders/dimseSender';
import { folderSender } from './senders/folderSender';
import { stowSender } from './senders/stowSender';
import type { SecretSource } from './secrets';

export const SPOOL_FOLDER_NAME = 'outbox';

/**
 * A small batch waits this long for more items before it is sent (Dispatcher.lingerUntil):
 * an import's items then share associations instead of opening one batch each.
 */
export const BATCH_LINGER_MS = 200;

export interface CreateOutboxOptions {
  readonly config: StationConfig;
  readonly dataFolder: string;
  /** Default: the config's `outbox` block once schema.ts has it, else the defaults. */
  readonly settings?: OutboxSettings;
  /** STOW-RS authentication per destination name (config `auth` once schema.ts has it). */
  readonly stowAuth?: Readonly<Record<string, StowAuth>>;
  /** Resolves secret names (safeStorage in the app, 0600 files for the CLI). */
  readonly secrets?: SecretSource;
  /** Storage commitment from core/dimse, when available. */
  readonly committer?: Committer;
  /**
   * True in a process meant to send (the app, `queue run`): the spool lock is taken here unless
   * the caller holds it already; when another live process holds it, the outbox opens without
   * recovery and only enqueues (status follows the spool on disk). False: enqueue and status only.
   */
  readonly recover: boolean;
  readonly logger?: Logger;
  readonly clock?: Clock;
  readonly timers?: Timers;
}

export function spoolFolderOf(dataFolder: string): string {
  return join(dataFolder, SPOOL_FOLDER_NAME);
}

/** Throws (naming the destination) when a destination cannot be set up, e.g. a missing CA file. */
export async function createOutbox(options: CreateOutboxOptions): Promise<Outbox> {
  const settings = options.settings ?? outboxSettingsOf(options.config);
  const resolved = resolveDestinations(options.config, options.dataFolder);
  const destinations = resolved.map((d) => bindingFor(d, options));
  const names = destinations.map((d) => d.name);
  const folder = spoolFolderOf(options.dataFolder);
  const { lock, maySend } = options.recover
    ? await lockForSending(folder, options.logger)
    : { lock: undefined, maySend: false };
  return Outbox.open(
    {
      // Only the lock holder may admit to the journal (UpdateJournal.ts: it alone compacts).
      store: new FileJobStore(folder, options.logger, { admitToJournal: maySend }),
      destinations,
      route: routerFor(options.config.station.department, settings.routing, names),
      policy: {
        baseDelayMs: settings.retry.baseDelaySeconds * 1000,
        maxDelayMs: settings.retry.maxDelaySeconds * 1000,
        maxAttempts: settings.retry.maxAttempts,
      },
      minFreeBytes: settings.minFreeMegabytes * 1_048_576,
      retentionDays: settings.retentionDays,
      batchLingerMs: BATCH_LINGER_MS,
      logger: options.logger,
      clock: options.clock,
      timers: options.timers,
      maySend,
      onStop: lock ? () => lock.release() : undefined,
    },
    { recover: maySend },
  ).catch(async (error: unknown) => {
    await lock?.release();
    throw error;
  });
}

/** The spool lock for this process: already ours, newly taken, or held elsewhere (no sending). */
async function lockForSending(
  folder: string,
  logger?: Logger,
): Promise<{ lock?: SpoolLock; maySend: boolean }> {
  await mkdir(folder, { recursive: true, mode: 0o700 });
  if ((await spoolSender(folder)) === process.pid) return { maySend: true };
  try {
    return { lock: await acquireSpoolLock(folder), maySend: true };
  } catch (error) {
    if (!(error instanceof SpoolLockedError)) throw error;
    logger?.warn('outbox: another process sends from this spool', { pid: error.pid });
    return { maySend: false };
  }
}

function bindingFor(
  resolved: ResolvedDestination,
  options: CreateOutboxOptions,
): DestinationBinding {
  const { name, destination, demo } = resolved;
  let sender: Sender;
  let commitRequested = false;
  if (destination.type === 'dimse') {
    const peer = dimseDestination(options.config, name);
    commitRequested = destination.commit;
    const { concurrency } = destination;
    sender = dimseSender({ peer, concurrency, committer: options.committer });
  } else if (destination.type === 'folder') {
    sender = folderSender({ root: destination.path, logger: options.logger });
  } else {
    sender = stowSender({
      url: destination.url,
      caFile: destination.caFile,
      auth: options.stowAuth?.[name] ?? destination.auth,
      secrets: options.secrets,
    });
  }
  return { name, sender, commitRequested, demo };
}
