import { loadConfig } from '../../core/config/loadConfig';
import type { StationConfig } from '../../core/config/schema';
import { dimseDestination, type DimsePeer } from '../../core/dimse/peer';
import { sendFiles, type SendFileResult } from '../../core/dimse/sendFiles';
import { parseFlags } from '../parseFlags';
import { CliUsageError, type CliCommand, type CliContext } from '../types';
import { PEER_FLAGS, PEER_USAGE, peerFromFlags } from './echo';

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
  usage: `usage: capture-station [--config FILE] [--json] send ${PEER_USAGE} [--parallel N] [--commit] FILE...`,
  async run(argv, ctx) {
    const { values, positionals } = parseFlags(argv, {
      ...PEER_FLAGS,
      parallel: { type: 'string' },
      commit: { type: 'boolean' },
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
      throw new Error(
        'storage commitment is not available in this build; objects were sent without it',
      );
    }
    if (failed > 0) throw new Error(`${failed} of ${results.length} file(s) not stored`);
  },
};
