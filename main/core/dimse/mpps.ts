/**
 * MPPS SCU (PS3.4 F.7, PS3.7 10.1.5/10.1.3): N-CREATE a step IN PROGRESS when capture starts for a
 * scheduled procedure, N-SET it COMPLETED or DISCONTINUED at the end.
 */
import { newUid } from '../dicom/uids';
import type { Association } from './Association';
import { CommandField, DATA_SET_PRESENT } from './commandSet';
import { encodeDataSet, type ElementSpec } from './dataSet';
import { DimseStatusError, ProtocolError } from './errors';
import {
  mppsCreateAttributes,
  mppsSetAttributes,
  type MppsEnd,
  type MppsStart,
} from './mppsDataSet';
import { SopClass, TransferSyntax } from './uids';

export const MPPS_CONTEXT = {
  abstractSyntax: SopClass.ModalityPerformedProcedureStep,
  transferSyntaxes: [TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ImplicitVRLittleEndian],
} as const;

const utf8 = (text: string) => Buffer.from(text, 'utf8');

/** PS3.4 F.7.2.1.2 / F.7.2.2.2: 0x0000 success; 0x0116 (attribute value out of range) is a warning. */
const isSuccess = (status: number) =>
  status === 0x0000 || (status & 0xf000) === 0xb000 || status === 0x0116;

async function request(
  association: Association,
  commandField: number,
  responseField: number,
  instanceUid: string,
  attributes: readonly ElementSpec[],
): Promise<void> {
  const context = association.contextFor(SopClass.ModalityPerformedProcedureStep);
  const messageId = association.nextMessageId();
  const isCreate = commandField === CommandField.NCreateRq;
  await association.sendCommand(context.id, {
    commandField,
    commandDataSetType: DATA_SET_PRESENT,
    messageId,
    ...(isCreate
      ? {
          affectedSopClassUid: SopClass.ModalityPerformedProcedureStep,
          affectedSopInstanceUid: instanceUid,
        }
      : {
          requestedSopClassUid: SopClass.ModalityPerformedProcedureStep,
          requestedSopInstanceUid: instanceUid,
        }),
  });
  const encoding =
    context.transferSyntax === TransferSyntax.ImplicitVRLittleEndian ? 'implicit' : 'explicit';
  await association.sendDataSet(context.id, encodeDataSet(attributes, encoding, utf8));
  const { command } = await association.receive();
  if (command.commandField !== responseField || command.messageIdBeingRespondedTo !== messageId) {
    throw new ProtocolError(
      `expected response 0x${responseField.toString(16)} to message ${messageId}`,
    );
  }
  const status = command.status ?? 0xffff;
  if (!isSuccess(status)) {
    const comment = command.errorComment ? `: ${command.errorComment}` : '';
    throw new DimseStatusError(
      status,
      `MPPS ${isCreate ? 'N-CREATE' : 'N-SET'} failed with status 0x${status.toString(16).padStart(4, '0')}${comment}`,
    );
  }
}

/** N-CREATE (status IN PROGRESS). Resolves with the MPPS SOP Instance UID we assigned. */
export function createMpps(association: Association, start: MppsStart): Promise<string> {
  return association.exclusive(async () => {
    const instanceUid = newUid();
    await request(
      association,
      CommandField.NCreateRq,
      CommandField.NCreateRsp,
      instanceUid,
      mppsCreateAttributes(start),
    );
    return instanceUid;
  });
}

/** N-SET to COMPLETED or DISCONTINUED, listing what was produced. */
export function finishMpps(
  association: Association,
  instanceUid: string,
  end: MppsEnd,
): Promise<void> {
  return association.exclusive(() =>
    request(
      association,
      CommandField.NSetRq,
      CommandField.NSetRsp,
      instanceUid,
      mppsSetAttributes(end),
    ),
  );
}
