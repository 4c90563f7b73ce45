import { loadConfig } from '../../core/config/loadConfig';
import type { StationConfig } from '../../core/config/schema';
import { cEcho, VERIFICATION_CONTEXT } from '../../core/dimse/echo';
import { openAssociation } from '../../core/dimse/openAssociation';
import { dimseDestination, type DimsePeer } from '../../core/dimse/peer';
import { parseFlags } from '../parseFlags';
import { CliUsageError, type CliCommand } from '../types';

/** Flags every DIMSE command shares to name its peer. */
export const PEER_FLAGS = {
  dest: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  aet: { type: 'string' },
  'calling-aet': { type: 'string' },
} as const;

export const PEER_USAGE = '(--dest NAME | --host H --port P --aet AET) [--calling-aet A]';

interface PeerFlagValues {
  dest?: string;
  host?: string;
  port?: string;
  aet?: string;
  'calling-aet'?: string;
}

/**
 * The peer named by `--dest` (from the configuration) or by `--host/--port/--aet`; `fallback`
 * when neither is given. The calling AE title defaults to the station's (config station.aeTitle).
 * Throws CliUsageError when the flags do not name exactly one peer.
 */
export function peerFromFlags(
  values: PeerFlagValues,
  config: StationConfig,
  fallback?: DimsePeer,
): DimsePeer {
  const byHand = values.host !== undefined || values.port !== undefined || values.aet !== undefined;
  if (values.dest !== undefined && byHand) {
    throw new CliUsageError('give either --dest or --host/--port/--aet, not both');
  }
  let peer: DimsePeer;
  if (values.dest !== undefined) {
    try {
      peer = dimseDestination(config, values.dest);
    } catch (error) {
      throw new CliUsageError((error as Error).message);
    }
  } else if (byHand) {
    peer = peerByHand(values, config);
  } else if (fallback) {
    peer = fallback;
  } else {
    throw new CliUsageError('name the peer with --dest NAME or --host H --port P --aet AET');
  }
  const calling = values['calling-aet'];
  return calling !== undefined ? { ...peer, callingAeTitle: calling } : peer;
}

function peerByHand(values: PeerFlagValues, config: StationConfig): DimsePeer {
  if (!values.host || !values.port || !values.aet) {
    throw new CliUsageError('--host, --port and --aet go together');
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new CliUsageError(`--port ${values.port} is not a TCP port`);
  }
  return {
    host: values.host,
    port,
    calledAeTitle: values.aet,
    callingAeTitle: config.station.aeTitle,
  };
}

/** `capture-station echo`: C-ECHO a DIMSE peer, the first thing IT checks when sending fails. */
export const echoCommand: CliCommand = {
  name: 'echo',
  summary: 'check a DICOM peer answers (C-ECHO)',
  usage: `usage: capture-station [--config FILE] [--json] echo ${PEER_USAGE}`,
  async run(argv, ctx) {
    const { values } = parseFlags(argv, PEER_FLAGS);
    const { config } = loadConfig({ file: ctx.configPath });
    const peer = peerFromFlags(values, config);
    const started = performance.now();
    const association = await openAssociation({
      ...peer,
      presentationContexts: [VERIFICATION_CONTEXT],
      signal: ctx.signal,
    });
    try {
      await cEcho(association);
    } finally {
      await association.release();
    }
    const ms = Math.round(performance.now() - started);
    const where = `${peer.calledAeTitle}@${peer.host}:${peer.port}`;
    ctx.out(
      ctx.json
        ? JSON.stringify({ ok: true, peer: where, callingAeTitle: peer.callingAeTitle, ms })
        : `C-ECHO ${where} from ${peer.callingAeTitle}: success in ${ms} ms`,
    );
  },
};
