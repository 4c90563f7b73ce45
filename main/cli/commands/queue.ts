/**
 * `capture-station queue add|run|status`: the outbox from the command line, sharing the spool
 * (`<dataFolder>/outbox`) with the app. Adding and status need no lock; `run` takes the spool's
 * sender lock, so the app and a script never send the same spool at once.
 */
import { join } from 'node:path';
import { loadConfig, type LoadedConfig } from '../../core/config/loadConfig';
import { StationScp } from '../../core/dimse/StationScp';
import { createOutbox, spoolFolderOf } from '../../core/outbox/createOutbox';
import type { OutboxEvent } from '../../core/outbox/JobBook';
import type { Outbox } from '../../core/outbox/Outbox';
import { outboxSettingsOf, type OutboxSettings } from '../../core/outbox/outboxConfig';
import { fileSecretSource } from '../../core/outbox/secrets';
import { dimseCommitter } from '../../core/outbox/senders/dimseCommitter';
import type { Committer } from '../../core/outbox/senders/dimseSender';
import { acquireSpoolLock, spoolSender } from '../../core/outbox/spoolLock';
import type { OutboxSnapshot } from '../../core/outbox/statusSnapshot';
import { parseFlags } from '../parseFlags';
import { CliUsageError, type CliCommand, type CliContext } from '../types';

const USAGE = [
  'usage: capture-station [--config FILE] [--json] queue add [--dest NAME]... [--move] FILE...',
  '       capture-station [--config FILE] [--json] queue run [--until-empty] [--retry-max-delay SECONDS] [--keep-days N] [--scp-port P]',
  '       capture-station [--config FILE] [--json] queue status',
].join('\n');

function open(
  loaded: LoadedConfig,
  recover: boolean,
  settings?: OutboxSettings,
  committer?: Committer,
): Promise<Outbox> {
  return createOutbox({
    config: loaded.config,
    dataFolder: loaded.dataFolder,
    settings,
    secrets: fileSecretSource(join(loaded.dataFolder, 'secrets')),
    committer,
    recover,
  });
}

/**
 * Storage commitment needs the station's SCP when the archive reports on a new association
 * (PS3.4 J.3.3; Orthanc does): started only when a DIMSE destination asks for commitment.
 */
async function commitmentScp(loaded: LoadedConfig, portText: string | undefined) {
  const wanted = Object.values(loaded.config.destinations).some(
    (d) => d.type === 'dimse' && d.commit,
  );
  if (!wanted) return undefined;
  const configured = loaded.config.station.scpPort;
  const port = Number(portText ?? configured ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliUsageError('--scp-port is a TCP port');
  return StationScp.start({ aeTitle: loaded.config.station.aeTitle, port });
}

async function add(argv: readonly string[], ctx: CliContext): Promise<void> {
  const { values, positionals } = parseFlags(argv, {
    dest: { type: 'string', multiple: true },
    move: { type: 'boolean' },
  });
  if (positionals.length === 0) throw new CliUsageError('name at least one file to queue');
  const outbox = await open(loadConfig({ file: ctx.configPath }), false);
  for (const file of positionals) {
    const receipt = await outbox.enqueue(file, {
      destinations: values.dest,
      mode: values.move ? 'move' : 'copy',
    });
    ctx.out(
      ctx.json
        ? JSON.stringify({ file, ...receipt })
        : `queued ${file} for ${receipt.destinations.join(', ')} (job ${receipt.jobId})`,
    );
  }
}

function positiveNumber(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new CliUsageError(`${flag} takes a number ≥ 0`);
  return value;
}

function describeEvent(event: OutboxEvent, outbox: Outbox, json: boolean): string | undefined {
  if (event.type !== 'delivery-changed' || event.state === 'sending') return undefined;
  const item = outbox.snapshot().items.find((i) => i.jobId === event.jobId);
  const delivery = item?.deliveries[event.destination];
  const fields = {
    jobId: event.jobId,
    sopInstanceUid: item?.sopInstanceUid ?? null,
    destination: event.destination,
    state: event.state,
    problem: delivery?.problem ?? null,
    status: delivery?.status ?? null,
  };
  if (json) return JSON.stringify(fields);
  const problem = fields.problem ? `: ${fields.problem}` : '';
  return `${fields.state.padEnd(16)} ${fields.destination} ${fields.sopInstanceUid ?? event.jobId}${problem}`;
}

async function run(argv: readonly string[], ctx: CliContext): Promise<void> {
  const { values } = parseFlags(argv, {
    'until-empty': { type: 'boolean' },
    'retry-max-delay': { type: 'string' },
    'keep-days': { type: 'string' },
    'scp-port': { type: 'string' },
  });
  const loaded = loadConfig({ file: ctx.configPath });
  const settings = withOverrides(outboxSettingsOf(loaded.config), values);
  const lock = await acquireSpoolLock(await ensureSpool(loaded));
  const scp = await commitmentScp(loaded, values['scp-port']).catch(async (error: unknown) => {
    await lock.release();
    throw error;
  });
  try {
    const committer = scp ? dimseCommitter({ scp }) : undefined;
    const outbox = await open(loaded, true, settings, committer);
    outbox.subscribe((event) => {
      const line = describeEvent(event, outbox, ctx.json);
      if (line) ctx.out(line);
    });
    outbox.start();
    const stopped = new Promise<void>((resolve) =>
      ctx.signal.addEventListener('abort', () => resolve()),
    );
    await Promise.race([
      values['until-empty'] ? outbox.whenSettled() : new Promise(() => undefined),
      stopped,
    ]);
    await outbox.stop();
    const snapshot = outbox.snapshot();
    ctx.out(ctx.json ? JSON.stringify({ summary: summaryOf(snapshot) }) : snapshot.text);
    if (snapshot.needsAttention > 0)
      throw new Error(`${snapshot.needsAttention} item(s) need attention`);
  } finally {
    await scp?.stop();
    await lock.release();
  }
}

async function ensureSpool(loaded: LoadedConfig): Promise<string> {
  const { mkdir } = await import('node:fs/promises');
  const folder = spoolFolderOf(loaded.dataFolder);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  return folder;
}

function withOverrides(
  settings: OutboxSettings,
  values: { 'retry-max-delay'?: string; 'keep-days'?: string },
): OutboxSettings {
  const maxDelay = positiveNumber(values['retry-max-delay'], '--retry-max-delay');
  const keepDays = positiveNumber(values['keep-days'], '--keep-days');
  return {
    ...settings,
    retentionDays: keepDays === undefined ? settings.retentionDays : Math.floor(keepDays),
    retry:
      maxDelay === undefined
        ? settings.retry
        : {
            ...settings.retry,
            maxDelaySeconds: Math.max(0.1, maxDelay),
            baseDelaySeconds: Math.min(settings.retry.baseDelaySeconds, Math.max(0.1, maxDelay)),
          },
  };
}

function summaryOf(snapshot: OutboxSnapshot) {
  return {
    text: snapshot.text,
    sending: snapshot.sending,
    unsent: snapshot.unsent,
    needsAttention: snapshot.needsAttention,
    progress: snapshot.progress,
    destinations: snapshot.destinations,
  };
}

async function status(ctx: CliContext): Promise<void> {
  const loaded = loadConfig({ file: ctx.configPath });
  const outbox = await open(loaded, false);
  const snapshot = outbox.snapshot();
  const sender = await spoolSender(spoolFolderOf(loaded.dataFolder));
  if (ctx.json) {
    ctx.out(JSON.stringify({ ...snapshot, senderPid: sender ?? null }));
    return;
  }
  ctx.out(snapshot.text);
  ctx.out(
    sender === undefined
      ? '  no process is sending: start the station or run `capture-station queue run`'
      : `  being sent by process ${sender}`,
  );
  for (const d of snapshot.destinations) {
    const counts = Object.entries(d.counts)
      .filter(([, n]) => n > 0)
      .map(([state, n]) => `${n} ${state}`)
      .join(', ');
    ctx.out(
      `  ${d.name}${d.demo ? ' (DEMO)' : ''}${d.paused ? ' [paused]' : ''}: ${counts || 'empty'}`,
    );
  }
}

/** `capture-station queue …`: see USAGE. */
export const queueCommand: CliCommand = {
  name: 'queue',
  summary: 'add files to the outbox, send it, or show its status (shares the app’s spool)',
  usage: USAGE,
  async run(argv, ctx) {
    const [action, ...rest] = argv;
    if (action === 'add') return add(rest, ctx);
    if (action === 'run') return run(rest, ctx);
    if (action === 'status') {
      parseFlags(rest, {});
      return status(ctx);
    }
    throw new CliUsageError('say "add", "run" or "status"');
  },
};
