/**
 * C-FIND SCU for the Modality Worklist Information Model (PS3.4 K, PS3.7 9.1.2). Pending
 * statuses 0xFF00 and 0xFF01 both carry a match; an abort signal sends C-CANCEL-RQ (PS3.7 9.3.2.3)
 * and the query ends when the peer answers with its final status.
 */
import type { WorklistItem } from '../../../preload/contract';
import type { Association } from './Association';
import { CommandField, DATA_SET_PRESENT, NO_DATA_SET } from './commandSet';
import { encodeDataSet, readDataSet } from './dataSet';
import { CancelledError, DimseStatusError, ProtocolError } from './errors';
import { openAssociation } from './openAssociation';
import type { AssociationTimeouts } from './associationTypes';
import type { DimsePeer } from './peer';
import { SopClass, TransferSyntax } from './uids';
import { worklistIdentifier, worklistItemFrom, type WorklistQueryKeys } from './worklistItem';

export const WORKLIST_CONTEXT = {
  abstractSyntax: SopClass.ModalityWorklistInformationModelFind,
  transferSyntaxes: [TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ImplicitVRLittleEndian],
} as const;

const PENDING = new Set([0xff00, 0xff01]);
const CANCELLED = 0xfe00;

export interface FindOptions {
  readonly signal?: AbortSignal;
  /** Called for each match as it arrives. */
  readonly onItem?: (item: WorklistItem) => void;
}

/**
 * Runs one worklist query on an open association. Resolves with every match when the peer ends
 * with success. Rejects with CancelledError after a C-CANCEL the peer confirmed, DimseStatusError
 * for a failure status, or the association's typed errors (TimeoutError when it stops answering).
 */
export function findWorklist(
  association: Association,
  query: WorklistQueryKeys,
  options: FindOptions = {},
): Promise<WorklistItem[]> {
  return association.exclusive(async () => {
    const context = association.contextFor(WORKLIST_CONTEXT.abstractSyntax);
    const encoding =
      context.transferSyntax === TransferSyntax.ImplicitVRLittleEndian ? 'implicit' : 'explicit';
    const messageId = association.nextMessageId();
    await association.sendCommand(context.id, {
      commandField: CommandField.CFindRq,
      commandDataSetType: DATA_SET_PRESENT,
      messageId,
      priority: 0,
      affectedSopClassUid: WORKLIST_CONTEXT.abstractSyntax,
    });
    const identifier = encodeDataSet(worklistIdentifier(query), encoding);
    await association.sendDataSet(context.id, identifier);
    const cancel = () => {
      void association
        .sendCommand(context.id, {
          commandField: CommandField.CCancelRq,
          commandDataSetType: NO_DATA_SET,
          messageIdBeingRespondedTo: messageId,
        })
        .catch(() => undefined);
    };
    if (options.signal?.aborted) cancel();
    else options.signal?.addEventListener('abort', cancel, { once: true });
    try {
      return await collectMatches(association, messageId, encoding, options);
    } finally {
      options.signal?.removeEventListener('abort', cancel);
    }
  });
}

async function collectMatches(
  association: Association,
  messageId: number,
  encoding: 'implicit' | 'explicit',
  options: FindOptions,
): Promise<WorklistItem[]> {
  const items: WorklistItem[] = [];
  for (;;) {
    const { command, dataSet } = await association.receive();
    if (
      command.commandField !== CommandField.CFindRsp ||
      command.messageIdBeingRespondedTo !== messageId
    ) {
      const error = new ProtocolError(`expected C-FIND-RSP to message ${messageId}`);
      association.abort(error);
      throw error;
    }
    const status = command.status ?? 0xffff;
    if (PENDING.has(status)) {
      if (!dataSet) continue;
      const item = worklistItemFrom(readDataSet(dataSet, encoding));
      items.push(item);
      options.onItem?.(item);
      continue;
    }
    if (status === 0x0000) return items;
    if (status === CANCELLED)
      throw new CancelledError(`worklist query cancelled after ${items.length} match(es)`);
    const comment = command.errorComment ? `: ${command.errorComment}` : '';
    throw new DimseStatusError(
      status,
      `worklist query failed with status 0x${status.toString(16).padStart(4, '0')}${comment}`,
    );
  }
}

/** Opens an association to `peer`, runs one worklist query, releases. */
export async function queryWorklist(
  peer: DimsePeer,
  query: WorklistQueryKeys,
  options: FindOptions & { timeouts?: Partial<AssociationTimeouts> } = {},
): Promise<WorklistItem[]> {
  const association = await openAssociation({
    ...peer,
    presentationContexts: [WORKLIST_CONTEXT],
    timeouts: options.timeouts,
    signal: options.signal,
  });
  try {
    return await findWorklist(association, query, options);
  } finally {
    await association.release();
  }
}
