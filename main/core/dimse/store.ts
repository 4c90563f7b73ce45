/**
 * C-STORE SCU (PS3.7 9.1.1, PS3.4 B) that sends a Part-10 file's data set as stored on disk: the
 * bytes after the file meta group go out in PDV-sized slices read straight from the file. Only
 * when the peer accepted the SOP class in the other uncompressed little-endian syntax are the
 * element headers rewritten (convertDataSet.ts); values are never re-encoded.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { Association } from './Association';
import type { AcceptedContext } from './associationTypes';
import { BufferedFileReader } from './BufferedFileReader';
import { CommandField, DATA_SET_PRESENT } from './commandSet';
import { convertDataSet } from './convertDataSet';
import type { VrEncoding } from './convertSyntax';
import { ProtocolError } from './errors';
import type { Part10Info } from './part10';
import { streamFileRange } from './streamFileRange';
import { storeOutcome, storeStatusText, type StoreOutcome } from './storeStatus';
import { TransferSyntax, UNCOMPRESSED_LITTLE_ENDIAN } from './uids';

export interface StoreResponse {
  readonly status: number;
  readonly outcome: StoreOutcome;
  readonly statusText: string;
  readonly errorComment?: string;
  /** Transfer syntax the data set went out in. */
  readonly transferSyntaxUid: string;
  readonly converted: boolean;
}

/** Transfer syntaxes to propose for a file: its own first, then what we can convert it to. */
export function transferSyntaxesFor(fileTransferSyntax: string): string[] {
  if (!UNCOMPRESSED_LITTLE_ENDIAN.includes(fileTransferSyntax)) return [fileTransferSyntax];
  return [
    fileTransferSyntax,
    ...UNCOMPRESSED_LITTLE_ENDIAN.filter((ts) => ts !== fileTransferSyntax),
  ];
}

/**
 * Sends one instance and waits for its C-STORE-RSP. Resolves with the response status (success,
 * warning or failure — the caller decides); rejects with PresentationContextRejectedError when no
 * usable context was accepted (nothing is sent), or the association's typed errors.
 */
export function cStore(
  association: Association,
  file: Part10Info,
  priority = 0,
): Promise<StoreResponse> {
  return association
    .exclusive(async () => {
      const context = association.contextFor(
        file.sopClassUid,
        transferSyntaxesFor(file.transferSyntaxUid),
      );
      const messageId = association.nextMessageId();
      const handle = await open(file.path, 'r');
      try {
        await association.sendCommand(context.id, {
          commandField: CommandField.CStoreRq,
          commandDataSetType: DATA_SET_PRESENT,
          messageId,
          priority,
          affectedSopClassUid: file.sopClassUid,
          affectedSopInstanceUid: file.sopInstanceUid,
        });
        await sendDataSet(association, context, file, handle);
      } catch (error) {
        // A data set cut short cannot be finished on this association (PS3.8 E.2).
        association.abort(error instanceof Error ? error : new Error(String(error)));
        throw error;
      } finally {
        await handle.close();
      }
      return readResponse(association, messageId, context);
    })
    .then((response) => ({
      ...response,
      converted: response.transferSyntaxUid !== file.transferSyntaxUid,
    }));
}

async function sendDataSet(
  association: Association,
  context: AcceptedContext,
  file: Part10Info,
  handle: FileHandle,
): Promise<void> {
  const chunkSize = association.maxPdvDataLength;
  if (context.transferSyntax === file.transferSyntaxUid) {
    await streamFileRange(association, context.id, handle, file.dataSetOffset, file.fileSize);
    return;
  }
  const reader = new BufferedFileReader(handle, file.dataSetOffset, file.fileSize);
  const chunks = convertDataSet(
    reader,
    encodingOf(file.transferSyntaxUid),
    encodingOf(context.transferSyntax),
    chunkSize,
  );
  await sendChunks(association, context.id, chunks, chunkSize);
}

const encodingOf = (ts: string): VrEncoding =>
  ts === TransferSyntax.ImplicitVRLittleEndian ? 'implicit' : 'explicit';

/** Packs an arbitrary chunk stream into full PDVs, the last one flagged (PS3.8 E.2). */
async function sendChunks(
  association: Association,
  contextId: number,
  chunks: AsyncIterable<Buffer>,
  chunkSize: number,
): Promise<void> {
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of chunks) {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let offset = 0;
    // Keep at least one byte back so the final PDV can carry the "last" bit.
    while (pending.length - offset > chunkSize) {
      await association.writePdv(
        contextId,
        false,
        false,
        pending.subarray(offset, offset + chunkSize),
      );
      offset += chunkSize;
    }
    pending = pending.subarray(offset);
  }
  await association.writePdv(contextId, false, true, pending);
}

async function readResponse(
  association: Association,
  messageId: number,
  context: AcceptedContext,
): Promise<Omit<StoreResponse, 'converted'>> {
  const response = await association.receive();
  const { command } = response;
  if (
    command.commandField !== CommandField.CStoreRsp ||
    command.messageIdBeingRespondedTo !== messageId
  ) {
    const error = new ProtocolError(
      `expected C-STORE-RSP to message ${messageId}, got command 0x${command.commandField.toString(16)}`,
    );
    association.abort(error);
    throw error;
  }
  const status = command.status ?? 0xffff;
  return {
    status,
    outcome: storeOutcome(status),
    statusText: storeStatusText(status),
    errorComment: command.errorComment,
    transferSyntaxUid: context.transferSyntax,
  };
}
