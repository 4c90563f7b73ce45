/** Options and negotiated results of an association (PS3.8 7.1, PS3.7 D.3). */
import type { TlsSettings } from './connect';
import type { RoleSelection } from './pduTypes';

export interface AssociationTimeouts {
  /** TCP/TLS connection set-up. */
  readonly connectMs: number;
  /** ARTIM (PS3.8 9.1.5): waiting for A-ASSOCIATE-AC/RJ or A-RELEASE-RP. */
  readonly associationMs: number;
  /** Waiting for a DIMSE response, or for the peer to read what we send (stalled socket). */
  readonly responseMs: number;
  /** An open association with no traffic and no operation in flight for this long is released. */
  readonly idleMs: number;
}

export const DEFAULT_TIMEOUTS: AssociationTimeouts = {
  connectMs: 10_000,
  associationMs: 30_000,
  responseMs: 60_000,
  idleMs: 60_000,
};

/** Largest PDU we accept by default (announced in A-ASSOCIATE-RQ item 0x51). */
export const DEFAULT_MAX_PDU_LENGTH = 256 * 1024;

export interface PresentationContextRequest {
  readonly abstractSyntax: string;
  /** In order of preference. */
  readonly transferSyntaxes: readonly string[];
}

export interface AssociationOptions {
  readonly host: string;
  readonly port: number;
  readonly calledAeTitle: string;
  readonly callingAeTitle: string;
  /** One presentation context is proposed per entry, ids 1, 3, 5… in this order. */
  readonly presentationContexts: readonly PresentationContextRequest[];
  readonly roleSelections?: readonly RoleSelection[];
  /** Largest PDU we accept; 0 = no limit. */
  readonly maxPduLength?: number;
  readonly timeouts?: Partial<AssociationTimeouts>;
  readonly tls?: TlsSettings;
  readonly signal?: AbortSignal;
}

export interface AcceptedContext {
  readonly id: number;
  readonly abstractSyntax: string;
  readonly transferSyntax: string;
}

export interface ContextOutcome {
  readonly id: number;
  readonly abstractSyntax: string;
  readonly proposedTransferSyntaxes: readonly string[];
  /** 0 accepted; 1–4 rejected (PS3.8 9.3.3.2). */
  readonly result: number;
  readonly transferSyntax: string;
}

export interface NegotiatedAssociation {
  readonly contexts: readonly ContextOutcome[];
  /** The peer's receive limit; 0 = no limit. */
  readonly peerMaxPduLength: number;
  readonly peerImplementationClassUid: string;
  readonly peerImplementationVersionName?: string;
  readonly roleSelections: readonly RoleSelection[];
}
