/**
 * Requestor side of association establishment (PS3.8 7.1): connect, send A-ASSOCIATE-RQ, wait for
 * AC or RJ within the association timeout.
 */
import { Association } from './Association';
import {
  DEFAULT_MAX_PDU_LENGTH,
  DEFAULT_TIMEOUTS,
  type AssociationOptions,
  type AssociationTimeouts,
  type ContextOutcome,
} from './associationTypes';
import { connectSocket } from './connect';
import { AssociationRejectedError, CancelledError, ProtocolError } from './errors';
import { encodeAssociateRq } from './pdu';
import type { AssociateAc, PresentationContextProposal } from './pduTypes';
import { rejectReasonText, rejectResultText, rejectSourceText } from './rejectionText';
import {
  APPLICATION_CONTEXT_NAME,
  IMPLEMENTATION_CLASS_UID,
  IMPLEMENTATION_VERSION_NAME,
} from './uids';

/**
 * Opens an association. Rejects with ConnectionError, TimeoutError ('connect' or 'association'),
 * AssociationRejectedError (result, source and reason in words), AbortedError or CancelledError.
 */
export async function openAssociation(options: AssociationOptions): Promise<Association> {
  const timeouts: AssociationTimeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const ownMax = options.maxPduLength ?? DEFAULT_MAX_PDU_LENGTH;
  const proposals = proposeContexts(options);
  const socket = await connectSocket({
    host: options.host,
    port: options.port,
    timeoutMs: timeouts.connectMs,
    tls: options.tls,
    signal: options.signal,
  });
  const association = new Association(socket, timeouts, ownMax);
  const onAbort = () => association.abort(new CancelledError('cancelled while associating'));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const answer = association.expectControl('association', timeouts.associationMs);
    socket.write(
      encodeAssociateRq({
        calledAeTitle: options.calledAeTitle,
        callingAeTitle: options.callingAeTitle,
        applicationContext: APPLICATION_CONTEXT_NAME,
        presentationContexts: proposals,
        userInfo: {
          maxPduLength: ownMax,
          implementationClassUid: IMPLEMENTATION_CLASS_UID,
          implementationVersionName: IMPLEMENTATION_VERSION_NAME,
          roleSelections: options.roleSelections,
        },
      }),
    );
    const pdu = await answer;
    if (pdu.type === 'associate-rj') {
      const error = new AssociationRejectedError(
        pdu.result,
        pdu.source,
        pdu.reason,
        rejectResultText(pdu.result),
        rejectSourceText(pdu.source),
        rejectReasonText(pdu.source, pdu.reason),
      );
      association.abort(error);
      throw error;
    }
    if (pdu.type !== 'associate-ac') {
      const error = new ProtocolError(`expected A-ASSOCIATE-AC, got ${pdu.type}`);
      association.abort(error);
      throw error;
    }
    association.markOpen({
      contexts: matchOutcomes(proposals, pdu),
      peerMaxPduLength: pdu.userInfo.maxPduLength,
      peerImplementationClassUid: pdu.userInfo.implementationClassUid,
      peerImplementationVersionName: pdu.userInfo.implementationVersionName,
      roleSelections: pdu.userInfo.roleSelections ?? [],
    });
    return association;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

function proposeContexts(options: AssociationOptions): PresentationContextProposal[] {
  if (options.presentationContexts.length > 128) {
    throw new RangeError(
      'at most 128 presentation contexts fit in one association (odd ids 1–255)',
    );
  }
  return options.presentationContexts.map((pc, index) => ({
    id: index * 2 + 1,
    abstractSyntax: pc.abstractSyntax,
    transferSyntaxes: pc.transferSyntaxes,
  }));
}

/** PS3.8 9.3.3.2: the AC answers by context id; the abstract syntax comes from our proposal. */
function matchOutcomes(
  proposals: readonly PresentationContextProposal[],
  ac: AssociateAc,
): ContextOutcome[] {
  return proposals.map((proposal) => {
    const answer = ac.presentationContexts.find((pc) => pc.id === proposal.id);
    const accepted =
      answer?.result === 0 && proposal.transferSyntaxes.includes(answer.transferSyntax);
    return {
      id: proposal.id,
      abstractSyntax: proposal.abstractSyntax,
      proposedTransferSyntaxes: proposal.transferSyntaxes,
      // An acceptance in a syntax we never offered is a refusal for our purposes.
      result: answer === undefined ? 2 : accepted ? 0 : answer.result === 0 ? 4 : answer.result,
      transferSyntax: answer?.transferSyntax ?? '',
    };
  });
}
