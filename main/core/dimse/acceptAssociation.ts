/**
 * Acceptor side of association establishment (PS3.8 7.1) for the station's own small SCP: reads
 * the A-ASSOCIATE-RQ, accepts the abstract syntaxes we serve in the first offered transfer syntax
 * we support, answers SCP/SCU role selection as proposed (PS3.7 D.3.3.4), rejects otherwise.
 */
import type net from 'node:net';
import { Association } from './Association';
import {
  DEFAULT_MAX_PDU_LENGTH,
  type AssociationTimeouts,
  type ContextOutcome,
} from './associationTypes';
import { ProtocolError } from './errors';
import { encodeAssociateAc, encodeAssociateRj } from './pdu';
import type { AssociateRq, PresentationContextResult } from './pduTypes';
import {
  APPLICATION_CONTEXT_NAME,
  IMPLEMENTATION_CLASS_UID,
  IMPLEMENTATION_VERSION_NAME,
  UNCOMPRESSED_LITTLE_ENDIAN,
} from './uids';

export interface AcceptPolicy {
  readonly aeTitle: string;
  /** Abstract syntaxes we serve; each is accepted in Explicit or Implicit VR Little Endian. */
  readonly abstractSyntaxes: readonly string[];
  readonly timeouts: AssociationTimeouts;
}

function answerContext(
  policy: AcceptPolicy,
  pc: AssociateRq['presentationContexts'][number],
): PresentationContextResult {
  if (!policy.abstractSyntaxes.includes(pc.abstractSyntax)) {
    return { id: pc.id, result: 3, transferSyntax: pc.transferSyntaxes[0] ?? '' };
  }
  const ts = pc.transferSyntaxes.find((t) => UNCOMPRESSED_LITTLE_ENDIAN.includes(t));
  return ts
    ? { id: pc.id, result: 0, transferSyntax: ts }
    : { id: pc.id, result: 4, transferSyntax: pc.transferSyntaxes[0] ?? '' };
}

/**
 * Negotiates an incoming association on `socket`. Resolves with the open Association; rejects
 * (after sending A-ASSOCIATE-RJ) when the called AE title is not ours — PS3.8 9.3.4 reason 7.
 */
export async function acceptAssociation(
  socket: net.Socket,
  policy: AcceptPolicy,
): Promise<Association> {
  socket.setNoDelay(true);
  const association = new Association(socket, policy.timeouts, DEFAULT_MAX_PDU_LENGTH);
  const pdu = await association.expectControl('association', policy.timeouts.associationMs);
  if (pdu.type !== 'associate-rq') {
    const error = new ProtocolError(`expected A-ASSOCIATE-RQ, got ${pdu.type}`);
    association.abort(error);
    throw error;
  }
  if (pdu.calledAeTitle !== policy.aeTitle) {
    socket.end(encodeAssociateRj({ result: 1, source: 1, reason: 7 }));
    const error = new ProtocolError(
      `association for AE "${pdu.calledAeTitle}", we are "${policy.aeTitle}"`,
    );
    association.abort(error);
    throw error;
  }
  const results = pdu.presentationContexts.map((pc) => answerContext(policy, pc));
  const roles = (pdu.userInfo.roleSelections ?? []).filter((r) =>
    policy.abstractSyntaxes.includes(r.sopClassUid),
  );
  socket.write(
    encodeAssociateAc({
      calledAeTitle: pdu.calledAeTitle,
      callingAeTitle: pdu.callingAeTitle,
      applicationContext: APPLICATION_CONTEXT_NAME,
      presentationContexts: results,
      userInfo: {
        maxPduLength: DEFAULT_MAX_PDU_LENGTH,
        implementationClassUid: IMPLEMENTATION_CLASS_UID,
        implementationVersionName: IMPLEMENTATION_VERSION_NAME,
        roleSelections: roles,
      },
    }),
  );
  const contexts: ContextOutcome[] = pdu.presentationContexts.map((pc, index) => ({
    id: pc.id,
    abstractSyntax: pc.abstractSyntax,
    proposedTransferSyntaxes: pc.transferSyntaxes,
    result: results[index]?.result ?? 2,
    transferSyntax: results[index]?.transferSyntax ?? '',
  }));
  association.markOpen({
    contexts,
    peerMaxPduLength: pdu.userInfo.maxPduLength,
    peerImplementationClassUid: pdu.userInfo.implementationClassUid,
    peerImplementationVersionName: pdu.userInfo.implementationVersionName,
    roleSelections: roles,
  });
  return association;
}
