import type { Part10Info } from '../dimse/part10';
import type { OutboxControl, OutboxStatus } from '../../../preload/contract';
import type { StationConfig } from '../config/schema';
import type { Logger } from '../log/Logger';
import { join } from 'node:path';
import { StationScp } from '../dimse/StationScp';
import { createOutbox, spoolFolderOf } from '../outbox/createOutbox';
import { OutboxStoppingError } from '../outbox/Outbox';
import { spoolSender } from '../outbox/spoolLock';
import { fileSecretSource, type SecretSource } from '../outbox/secrets';
import { dimseCommitter } from '../outbox/senders/dimseCommitter';
import type { Outbox } from '../outbox/Outbox';
import type { ItemKind } from '../outbox/senderTypes';
import type { OutboxSnapshot } from '../outbox/statusSnapshot';
import { StationError } from '../rpc/dispatch';

const BROADCAST_MS = 250;

/** How often a station that found another process sending looks whether it still does. */
export const TAKEOVER_CHECK_MS = 3_000;

/**
 * The station's outbox, opened in the background so the window appears at once: captures wait
 * for it (they are durable only once it has spooled them). If it cannot open — a destination's CA
 * file is missing — every capture says so instead of pretending to save.
 *
 * When another process sends from the spool (`capture-station queue run` started first), this
 * one only enqueues; once that process has gone, this one takes the spool over and sends, instead
 * of leaving every capture queued until the station is restarted: the follower is stopped (its
 * enqueues settle first) and the outbox opened again, now holding the spool lock.
 */
export class StationOutbox {
  private opening: Promise<Outbox>;
  private listeners = new Set<(status: OutboxStatus) => void>();
  private broadcastTimer: NodeJS.Timeout | undefined;
  private takeoverTimer: NodeJS.Timeout | undefined;
  private scp: StationScp | undefined;
  private closed = false;

  constructor(
    private readonly config: StationConfig,
    private readonly dataFolder: string,
    private readonly log: Logger,
    private readonly secrets?: SecretSource,
    private readonly takeoverCheckMs = TAKEOVER_CHECK_MS,
  ) {
    this.opening = this.open();
  }

  private open(): Promise<Outbox> {
    const keepScp = (scp: StationScp) => (this.scp = scp);
    const { config, dataFolder, log, secrets } = this;
    const opening = openOutbox(config, dataFolder, log, secrets, this.scp, keepScp).then(
      (outbox) => {
        outbox.subscribe(() => this.scheduleBroadcast(outbox));
        outbox.start();
        if (!outbox.snapshot().sending) this.watchSender(outbox);
        return outbox;
      },
    );
    opening.catch((error: unknown) => log.error('the outbox could not open', { error }));
    return opening;
  }

  /** While another process sends: takes over once it is gone (no live holder of the lock). */
  private watchSender(follower: Outbox): void {
    const folder = spoolFolderOf(this.dataFolder);
    this.takeoverTimer = setInterval(() => {
      void spoolSender(folder).then((pid) => {
        if (pid !== undefined || this.closed || this.takeoverTimer === undefined) return;
        clearInterval(this.takeoverTimer);
        this.takeoverTimer = undefined;
        this.log.info('outbox: the process that sent from the spool has gone; sending from here');
        this.opening = follower.stop().then(() => this.open());
        this.scheduleBroadcastWhenOpen();
      });
    }, this.takeoverCheckMs);
    this.takeoverTimer.unref();
  }

  private scheduleBroadcastWhenOpen(): void {
    this.opening.then(
      (outbox) => this.scheduleBroadcast(outbox),
      () => undefined,
    );
  }

  /**
   * Spools a finished instance (moved, not copied); resolves once it is durable. `part10`: what
   * the station wrote into it, when it wrote it (see EnqueueOptions). An enqueue refused because
   * the outbox is being taken over (OutboxStoppingError) goes to the new one: nothing was saved.
   */
  async accept(file: string, part10?: Part10Info): Promise<void> {
    const options = { mode: 'move' as const, ...(part10 ? { part10 } : {}) };
    const outbox = await this.ready();
    try {
      await outbox.enqueue(file, options);
    } catch (error) {
      if (!(error instanceof OutboxStoppingError) || this.closed) throw error;
      await (await this.ready()).enqueue(file, options);
    }
  }

  /**
   * Outbox.expectKinds once the outbox is open; the returned call withdraws it (also when made
   * before the outbox opened).
   */
  expect(kinds: readonly ItemKind[]): () => void {
    let withdraw: (() => void) | undefined;
    let withdrawn = false;
    this.ready().then(
      (outbox) => {
        if (!withdrawn) withdraw = outbox.expectKinds(kinds);
      },
      () => undefined, // accept() reports an outbox that cannot open
    );
    return () => {
      withdrawn = true;
      withdraw?.();
    };
  }

  /** Whether the outbox holds an instance with this SOP Instance UID. */
  async holds(sopInstanceUid: string): Promise<boolean> {
    return (await this.ready()).holds(sopInstanceUid);
  }

  async status(): Promise<OutboxStatus> {
    return toStatus((await this.ready()).snapshot());
  }

  /** Applies a person's control and returns the status after it. */
  async control(request: OutboxControl): Promise<OutboxStatus> {
    const outbox = await this.ready();
    const target = {
      destination: request.destination,
      ...(request.jobId ? { jobId: request.jobId } : {}),
    };
    try {
      if (request.action === 'pause') await outbox.pause(target);
      else if (request.action === 'resume') await outbox.resume(target);
      else if (request.action === 'retry') await outbox.retryNow(target);
      else if (request.confirmed) await outbox.cancel(target, { confirmed: true });
      else throw new StationError('cancelling needs confirmation: the images would not be sent');
    } catch (error) {
      if (error instanceof StationError) throw error;
      throw new StationError(error instanceof Error ? error.message : String(error));
    }
    return toStatus(outbox.snapshot());
  }

  onChange(listener: (status: OutboxStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** At most one status push per BROADCAST_MS: a burst of 200 sends is one redraw, not 200. */
  private scheduleBroadcast(outbox: Outbox): void {
    this.broadcastTimer ??= setTimeout(() => {
      this.broadcastTimer = undefined;
      const status = toStatus(outbox.snapshot());
      this.listeners.forEach((listener) => listener(status));
    }, BROADCAST_MS);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.takeoverTimer);
    this.takeoverTimer = undefined;
    clearTimeout(this.broadcastTimer);
    this.listeners.clear();
    const outbox = await this.opening.catch(() => undefined);
    await outbox?.stop();
    await this.scp?.stop();
  }

  private async ready(): Promise<Outbox> {
    try {
      return await this.opening;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new StationError(
        `the outbox is not available, so nothing can be saved: ${reason}`,
        'unavailable',
      );
    }
  }
}

/**
 * Storage commitment (PS3.4 J) where a DIMSE destination asks for it: the station's SCP listens on
 * `station.scpPort` for the archive's N-EVENT-REPORT. Secrets named in the configuration come from
 * the given source (sealed with the OS keychain in the app), else from 0600 files in
 * `<data folder>/secrets`.
 */
async function openOutbox(
  config: StationConfig,
  dataFolder: string,
  log: Logger,
  secrets: SecretSource | undefined,
  started: StationScp | undefined,
  keepScp: (scp: StationScp) => void,
) {
  const wantsCommitment = Object.values(config.destinations).some(
    (d) => d.type === 'dimse' && d.commit,
  );
  let committer;
  if (wantsCommitment) {
    // One SCP for the station's life: an outbox opened again (takeover) keeps its port.
    const scp =
      started ??
      (await StationScp.start({
        aeTitle: config.station.aeTitle,
        port: config.station.scpPort ?? 0,
      }));
    keepScp(scp);
    committer = dimseCommitter({ scp });
  }
  return createOutbox({
    config,
    dataFolder,
    recover: true,
    logger: log,
    secrets: secrets ?? fileSecretSource(join(dataFolder, 'secrets')),
    ...(committer ? { committer } : {}),
  });
}

export function toStatus(snapshot: OutboxSnapshot): OutboxStatus {
  return {
    text: snapshot.text,
    sending: snapshot.sending,
    unsent: snapshot.unsent,
    needsAttention: snapshot.needsAttention,
    progress: snapshot.progress,
    destinations: snapshot.destinations.map((d) => ({
      name: d.name,
      demo: d.demo,
      paused: d.paused,
      counts: { ...d.counts },
      ...(d.failingSince ? { failingSince: d.failingSince } : {}),
      ...(d.lastProblem ? { lastProblem: d.lastProblem } : {}),
      ...(d.controlPending ? { controlPending: true } : {}),
    })),
    items: snapshot.items.map((item) => ({
      jobId: item.jobId,
      sopInstanceUid: item.sopInstanceUid,
      progress: item.progress,
      ...(item.controlPending ? { controlPending: true } : {}),
      deliveries: Object.fromEntries(
        Object.entries(item.deliveries).map(([name, d]) => [
          name,
          { state: d.state, attempts: d.attempts, ...(d.problem ? { problem: d.problem } : {}) },
        ]),
      ),
    })),
  };
}
