import { loadConfig } from '../../core/config/loadConfig';
import type { StationConfig } from '../../core/config/schema';
import { dimseDestination, type DimsePeer } from '../../core/dimse/peer';
import { commitStorage } from '../../core/dimse/commitStorage';
import { sendFiles, type SendFileResult } from '../../core/dimse/sendFiles';
import { StationScp } from '../../core/dimse/StationScp';
import { parseFlags } from '../parseFlags';
import { CliUsageError, type CliCommand, type CliContext } from '../types';
import { PEER_FLAGS, PEER_USAGE, peerFromFlags } from './echo';

/** Where the station listens for N-EVENT-REPORTs by default (the registered DICOM port). */
const DEFAULT_SCP_PORT = 11112;

/** Storage commitment for the stored files; throws when any is not committed. */
async function commitSent(
  ctx: CliContext,
  peer: DimsePeer,
  results: readonly SendFileResult[],
  port: number,
) {
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new CliUsageError('--scp-port is a TCP port');
  const references = results.flatMap((r) =>
    r.stored && r.sopClassUid && r.sopInstanceUid
      ? [{ sopClassUid: r.sopClassUid, sopInstanceUid: r.sopInstanceUid }]
      : [],
  );
  if (references.length === 0) return;
  const scp = await StationScp.start({ aeTitle: peer.callingAeTitle, port });
  try {
    const report = await commitStorage({ peer, references, scp });
    for (const result of report.results) {
      const reason =
        result.failureReason === undefined
          ? ''
          : ` (failure reason 0x${result.failureReason.toString(16).padStart(4, '0')})`;
      ctx.out(
        ctx.json
          ? JSON.stringify({
              sopInstanceUid: result.sopInstanceUid,
              committed: result.committed,
              failureReason: result.failureReason ?? null,
            })
          : `${result.committed ? 'committed' : 'NOT COMMITTED'} ${result.sopInstanceUid}${reason}`,
      );
    }
    const missing = report.results.filter((r) => !r.committed).length;
    if (missing > 0) throw new Error(`${missing} instance(s) not committed by the archive`);
  } finally {
    await scp.stop();
  }
}

/** Without peer flags: the configuration's only DIMSE destination, if it has exactly one. */
function onlyDimseDestination(config: StationConfig): DimsePeer | undefined {
  const names = Object.entries(config.destinations)
    .filter(([, destination]) => destination.type === 'dimse')
    .map(([name]) => name);
  return names.length === 1 && names[0] ? dimseDestination(config, names[0]) : undefined;
}

function printResult(ctx: CliContext, result: SendFileResult): void {
  if (ctx.json) {
    ctx.out(
      JSON.stringify({
        file: result.path,
        sopInstanceUid: result.sopInstanceUid ?? null,
        stored: result.stored,
        outcome: result.outcome,
        status: result.status ?? null,
        message: result.message,
        error: result.error?.name ?? null,
      }),
    );
  } else {
    ctx.out(`${result.stored ? 'stored ' : 'FAILED '} ${result.path}: ${result.message}`);
  }
}

/** `capture-station send FILE...`: C-STORE Part-10 files as stored on disk. */
export const sendCommand: CliCommand = {
  name: 'send',
  summary: 'send DICOM files to a DIMSE peer (C-STORE), optionally with storage commitment',
  usage:
    `usage: capture-station [--config FILE] [--json] send ${PEER_USAGE} [--parallel N] [--commit [--scp-port P]] FILE...\n` +
    '--commit asks for storage commitment; the archive reports back to this station on --scp-port ' +
    `(default ${DEFAULT_SCP_PORT}), where it must know the station's AE title.`,
  async run(argv, ctx) {
    const { values, positionals } = parseFlags(argv, {
      ...PEER_FLAGS,
      parallel: { type: 'string' },
      commit: { type: 'boolean' },
      'scp-port': { type: 'string' },
    });
    if (positionals.length === 0) throw new CliUsageError('name at least one file to send');
    const concurrency = Number(values.parallel ?? '1');
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) {
      throw new CliUsageError('--parallel takes 1 to 16 associations');
    }
    const { config } = loadConfig({ file: ctx.configPath });
    const peer = peerFromFlags(values, config, onlyDimseDestination(config));
    const results = await sendFiles(positionals, {
      peer,
      concurrency,
      signal: ctx.signal,
      onResult: (result) => printResult(ctx, result),
    });
    const failed = results.filter((r) => !r.stored).length;
    if (values.commit === true || peer.commit === true) {
      await commitSent(ctx, peer, results, Number(values['scp-port'] ?? DEFAULT_SCP_PORT));
    }
    if (failed > 0) throw new Error(`${failed} of ${results.length} file(s) not stored`);
  },
};
