/** C-ECHO SCU (PS3.7 9.1.5, PS3.4 A Verification Service Class). */
import type { Association } from './Association';
import { CommandField, NO_DATA_SET } from './commandSet';
import { DimseStatusError, ProtocolError } from './errors';
import { SopClass, TransferSyntax } from './uids';

/** The presentation context a Verification association proposes. */
export const VERIFICATION_CONTEXT = {
  abstractSyntax: SopClass.Verification,
  transferSyntaxes: [TransferSyntax.ImplicitVRLittleEndian],
} as const;

/**
 * Sends one C-ECHO-RQ and waits for its response. Resolves with the status (0x0000);
 * rejects with DimseStatusError for any other status, or the association's typed errors.
 */
export function cEcho(association: Association): Promise<number> {
  return association.exclusive(async () => {
    const context = association.contextFor(SopClass.Verification);
    const messageId = association.nextMessageId();
    await association.sendCommand(context.id, {
      commandField: CommandField.CEchoRq,
      commandDataSetType: NO_DATA_SET,
      messageId,
      affectedSopClassUid: SopClass.Verification,
    });
    const response = await association.receive();
    if (response.command.commandField !== CommandField.CEchoRsp) {
      throw new ProtocolError(
        `expected C-ECHO-RSP, got command 0x${response.command.commandField.toString(16)}`,
      );
    }
    const status = response.command.status ?? -1;
    if (status !== 0)
      throw new DimseStatusError(
        status,
        `C-ECHO failed with status 0x${status.toString(16).padStart(4, '0')}`,
      );
    return status;
  });
}
