/**
 * Where an association goes: a DIMSE peer from the station's configuration (a destination or the
 * worklist source) or given by hand. TLS files are read here so the network code gets bytes.
 */
import { readFileSync } from 'node:fs';
import type { StationConfig } from '../config/schema';
import type { TlsSettings } from './connect';

export interface DimsePeer {
  readonly host: string;
  readonly port: number;
  readonly calledAeTitle: string;
  readonly callingAeTitle: string;
  readonly tls?: TlsSettings;
  /** Destination asks for storage commitment after sending. */
  readonly commit?: boolean;
}

interface TlsFiles {
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
}

/** Reads the PEM files a TLS block names. Throws the fs error (with the path) when one is missing. */
export function readTlsFiles(files: TlsFiles | undefined): TlsSettings | undefined {
  if (!files) return undefined;
  return {
    ca: files.caFile ? readFileSync(files.caFile) : undefined,
    cert: files.certFile ? readFileSync(files.certFile) : undefined,
    key: files.keyFile ? readFileSync(files.keyFile) : undefined,
  };
}

/** The DIMSE destination `name`; throws Error naming the problem when absent or not DIMSE. */
export function dimseDestination(config: StationConfig, name: string): DimsePeer {
  const destination = config.destinations[name];
  if (!destination) {
    const known = Object.keys(config.destinations).join(', ') || 'none configured';
    throw new Error(`no destination "${name}" in the configuration (known: ${known})`);
  }
  if (destination.type !== 'dimse') {
    throw new Error(`destination "${name}" is ${destination.type}, not a DIMSE peer`);
  }
  return {
    host: destination.host,
    port: destination.port,
    calledAeTitle: destination.calledAeTitle,
    callingAeTitle: destination.callingAeTitle ?? config.station.aeTitle,
    tls: readTlsFiles(destination.tls),
    commit: destination.commit,
  };
}

/** The configured Modality Worklist SCP, or undefined when the station uses the demo list. */
export function worklistSource(config: StationConfig): DimsePeer | undefined {
  const source = config.worklist;
  if (!source) return undefined;
  return {
    host: source.host,
    port: source.port,
    calledAeTitle: source.calledAeTitle,
    callingAeTitle: source.callingAeTitle ?? config.station.aeTitle,
    tls: readTlsFiles(source.tls),
  };
}
