/**
 * Storage Commitment Push Model SCU (PS3.4 J): N-ACTION asks the archive to commit instances; the
 * answer is an N-EVENT-REPORT (event 1 all committed, 2 some failed) arriving on the same
 * association or on a new one the archive opens to the station's SCP (StationScp.ts).
 */
import type { Association } from './Association';
import { CommandField, DATA_SET_PRESENT, NO_DATA_SET } from './commandSet';
import { encodeDataSet, readDataSet, tag, type DataSet } from './dataSet';
import { DimseStatusError, ProtocolError } from './errors';
import type { DimseMessage } from './MessageAssembler';
import { SopClass, STORAGE_COMMITMENT_INSTANCE, TransferSyntax } from './uids';

export const COMMITMENT_CONTEXT = {
  abstractSyntax: SopClass.StorageCommitmentPushModel,
  transferSyntaxes: [TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ImplicitVRLittleEndian],
} as const;

/** PS3.7 D.3.3.4: we may take the SCP role so the report can come on our association. */
export const COMMITMENT_ROLES = [
  { sopClassUid: SopClass.StorageCommitmentPushModel, scu: true, scp: true },
];

const Tags = {
  TransactionUID: tag(0x0008, 0x1195),
  FailureReason: tag(0x0008, 0x1197),
  FailedSOPSequence: tag(0x0008, 0x1198),
  ReferencedSOPSequence: tag(0x0008, 0x1199),
  ReferencedSOPClassUID: tag(0x0008, 0x1150),
  ReferencedSOPInstanceUID: tag(0x0008, 0x1155),
} as const;

export interface InstanceReference {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
}

export interface CommitmentResult extends InstanceReference {
  readonly committed: boolean;
  /** PS3.3 C.14.1.1 Failure Reason, e.g. 0x0112 no such object instance. */
  readonly failureReason?: number;
}

export interface CommitmentReport {
  readonly transactionUid: string;
  readonly eventTypeId: number;
  readonly results: readonly CommitmentResult[];
  /**
   * Set when no report will come because the N-ACTION itself was refused (PS3.7 10.1.4.1.10,
   * e.g. 0x0122 SOP class not supported, 0x0213 resource limitation): every reference is then
   * listed as failed with this status as its reason.
   */
  readonly refusedStatus?: number;
}

/** What a refused N-ACTION means for each reference, in the shape of a report (event 2). */
export function refusalReport(
  transactionUid: string,
  references: readonly InstanceReference[],
  status: number,
): CommitmentReport {
  return {
    transactionUid,
    eventTypeId: 2,
    refusedStatus: status,
    results: references.map((r) => ({ ...r, committed: false, failureReason: status })),
  };
}

const encodingOf = (ts: string) =>
  ts === TransferSyntax.ImplicitVRLittleEndian ? 'implicit' : 'explicit';

/** Sends N-ACTION-RQ (action type 1). Resolves on success status; rejects DimseStatusError otherwise. */
export function requestCommitment(
  association: Association,
  transactionUid: string,
  references: readonly InstanceReference[],
): Promise<void> {
  return association.exclusive(async () => {
    const context = association.contextFor(SopClass.StorageCommitmentPushModel);
    const messageId = association.nextMessageId();
    await association.sendCommand(context.id, {
      commandField: CommandField.NActionRq,
      commandDataSetType: DATA_SET_PRESENT,
      messageId,
      requestedSopClassUid: SopClass.StorageCommitmentPushModel,
      requestedSopInstanceUid: STORAGE_COMMITMENT_INSTANCE,
      actionTypeId: 1,
    });
    const dataSet = encodeDataSet(
      [
        { tag: Tags.TransactionUID, vr: 'UI', value: transactionUid },
        {
          tag: Tags.ReferencedSOPSequence,
          vr: 'SQ',
          value: references.map((r) => [
            { tag: Tags.ReferencedSOPClassUID, vr: 'UI', value: r.sopClassUid },
            { tag: Tags.ReferencedSOPInstanceUID, vr: 'UI', value: r.sopInstanceUid },
          ]),
        },
      ],
      encodingOf(context.transferSyntax),
    );
    await association.sendDataSet(context.id, dataSet);
    const { command } = await association.receive();
    if (
      command.commandField !== CommandField.NActionRsp ||
      command.messageIdBeingRespondedTo !== messageId
    ) {
      throw new ProtocolError('expected N-ACTION-RSP');
    }
    const status = command.status ?? 0xffff;
    if (status !== 0) {
      throw new DimseStatusError(
        status,
        `storage commitment request refused with status 0x${status.toString(16).padStart(4, '0')}`,
      );
    }
  });
}

/** True when `message` is a Storage Commitment N-EVENT-REPORT-RQ. */
export function isCommitmentReport(message: DimseMessage): boolean {
  return (
    message.command.commandField === CommandField.NEventReportRq &&
    message.command.affectedSopClassUid === SopClass.StorageCommitmentPushModel
  );
}

function references(items: readonly DataSet[] | undefined, committed: boolean): CommitmentResult[] {
  const uid = (item: DataSet, key: number) =>
    item
      .get(key)
      ?.value.toString('latin1')
      .replace(/[\0 ]+$/, '') ?? '';
  return (items ?? []).map((item) => ({
    sopClassUid: uid(item, Tags.ReferencedSOPClassUID),
    sopInstanceUid: uid(item, Tags.ReferencedSOPInstanceUID),
    committed,
    ...(committed ? {} : { failureReason: item.get(Tags.FailureReason)?.value.readUInt16LE(0) }),
  }));
}

/**
 * Reads an N-EVENT-REPORT-RQ and answers it with N-EVENT-REPORT-RSP success (PS3.4 J.3.3.1).
 * Throws ProtocolError when it carries no data set.
 */
export async function acknowledgeCommitmentReport(
  association: Association,
  message: DimseMessage,
): Promise<CommitmentReport> {
  if (!message.dataSet) throw new ProtocolError('N-EVENT-REPORT without event information');
  const context = association.negotiated?.contexts.find((c) => c.id === message.contextId);
  const dataSet = readDataSet(message.dataSet, encodingOf(context?.transferSyntax ?? ''));
  const report: CommitmentReport = {
    transactionUid:
      dataSet
        .get(Tags.TransactionUID)
        ?.value.toString('latin1')
        .replace(/[\0 ]+$/, '') ?? '',
    eventTypeId: message.command.eventTypeId ?? 0,
    results: [
      ...references(dataSet.get(Tags.ReferencedSOPSequence)?.items, true),
      ...references(dataSet.get(Tags.FailedSOPSequence)?.items, false),
    ],
  };
  await association.sendCommand(message.contextId, {
    commandField: CommandField.NEventReportRsp,
    commandDataSetType: NO_DATA_SET,
    messageIdBeingRespondedTo: message.command.messageId,
    affectedSopClassUid: SopClass.StorageCommitmentPushModel,
    affectedSopInstanceUid: message.command.affectedSopInstanceUid,
    eventTypeId: message.command.eventTypeId,
    status: 0,
  });
  return report;
}
