/**
 * Typed failures of the DIMSE layer. Every one carries a sentence a person can act on; callers
 * branch on the class, never on the message text.
 */

export class DimseError extends Error {
  override readonly name: string = 'DimseError';
}

/** TCP or TLS connection could not be made (refused, unreachable, certificate not trusted). */
export class ConnectionError extends DimseError {
  override readonly name = 'ConnectionError';
}

export type TimeoutPhase = 'connect' | 'association' | 'response' | 'idle' | 'release';

/** A configured timeout ran out; `phase` says what we were waiting for. */
export class TimeoutError extends DimseError {
  override readonly name = 'TimeoutError';
  constructor(
    readonly phase: TimeoutPhase,
    readonly timeoutMs: number,
  ) {
    super(`no ${phase === 'connect' ? 'connection' : phase} within ${timeoutMs} ms`);
  }
}

/** PS3.8 9.3.4 A-ASSOCIATE-RJ, with result/source/reason as numbers and in words. */
export class AssociationRejectedError extends DimseError {
  override readonly name = 'AssociationRejectedError';
  constructor(
    readonly result: number,
    readonly source: number,
    readonly reason: number,
    readonly resultText: string,
    readonly sourceText: string,
    readonly reasonText: string,
  ) {
    super(`association rejected (${resultText}) by the ${sourceText}: ${reasonText}`);
  }
}

/** PS3.8 9.3.8 A-ABORT received, or the connection closed while the association was open. */
export class AbortedError extends DimseError {
  override readonly name = 'AbortedError';
  constructor(
    message: string,
    readonly source?: number,
    readonly reason?: number,
  ) {
    super(message);
  }
}

/**
 * No presentation context was accepted for what we wanted to send: the abstract syntax was not
 * supported, or none of the transfer syntaxes we offered for it.
 */
export class PresentationContextRejectedError extends DimseError {
  override readonly name = 'PresentationContextRejectedError';
  constructor(
    readonly abstractSyntax: string,
    readonly transferSyntaxes: readonly string[],
    readonly resultText: string,
  ) {
    super(
      `peer refused ${abstractSyntax} in transfer syntax ${transferSyntaxes.join(' or ')}: ${resultText}`,
    );
  }
}

/** The peer broke PS3.8 framing or sent a DIMSE message we cannot parse. */
export class ProtocolError extends DimseError {
  override readonly name = 'ProtocolError';
}

/** A DIMSE response carried a failure status (PS3.7 C). */
export class DimseStatusError extends DimseError {
  override readonly name = 'DimseStatusError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The caller's AbortSignal fired. */
export class CancelledError extends DimseError {
  override readonly name = 'CancelledError';
}
