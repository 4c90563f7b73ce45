/**
 * C-STORE SCU (PS3.7 9.1.1, PS3.4 B) that sends a Part-10 file's data set as stored on disk: the
 * bytes after the file meta group go out in PDV-sized slices read straight from the file. Only
 * when the peer accepted the SOP class in the other uncompressed little-endian syntax are the
 * element headers rewritten (convertDataSet.ts); values are never re-encoded.
 */
import type { Association } from './Association';
import type { AcceptedContext } from './associationTypes';
import { BufferedFileReader } from './BufferedFileReader';
import { CommandField, DATA_SET_PRESENT, type CommandSet } from './commandSet';
import { convertDataSet } from './convertDataSet';
import type { VrEncoding } from './convertSyntax';
import { DimseError, ProtocolError } from './errors';
import type { Part10Info } from './part10';
import { closeQuietly, openForReading, sizeOf } from './readOnlyFile';
import {
  abandonRange,
  prepareFileRange,
  streamPreparedRange,
  type PreparedRange,
} from './streamFileRange';
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
  return association.exclusive(() => new PreparedStore(association, file, priority).send());
}

/**
 * One C-STORE whose file is opened, and whose first block is read, as soon as it is created:
 * sendFiles creates the next one once the previous data set is queued to the socket (PS3.7
 * D.3.3.3: without asynchronous operations only one request is outstanding, but nothing stops
 * the SCU reading its next file meanwhile). Send it with `sendPreparedStore`, or `dispose()` it.
 * At most one unsent PreparedStore per association: it holds one of the association's blocks.
 */
export class PreparedStore {
  private readonly context: AcceptedContext | Error;
  private readonly opened: Promise<number> | undefined;
  private readonly range: Promise<PreparedRange> | undefined;
  private settled = false;

  constructor(
    private readonly association: Association,
    readonly file: Part10Info,
    private readonly priority = 0,
  ) {
    const context = contextOrError(association, file);
    this.context = context;
    if (context instanceof Error) return;
    this.opened = openForReading(file.path).then((fd) => checkedSize(fd, file));
    this.opened.catch(() => undefined);
    if (context.transferSyntax === file.transferSyntaxUid) {
      this.range = this.opened.then((fd) =>
        prepareFileRange(association, context.id, fd, file.dataSetOffset, file.fileSize),
      );
      this.range.catch(() => undefined);
    }
  }

  /** Sends the command and data set, then waits for the response; see cStore. */
  async send(afterSent?: () => void): Promise<StoreResponse> {
    if (this.settled) throw new DimseError('this C-STORE was already sent or disposed');
    this.settled = true;
    const { context, opened } = this;
    if (context instanceof Error) throw context;
    if (!opened) throw new DimseError('C-STORE file was not opened');
    // Nothing is written until the file is open and its first block read: a file that cannot be
    // read fails alone and the association stays usable.
    const fd = await opened;
    let range: PreparedRange | undefined;
    try {
      range = await this.range;
      await range?.first;
    } catch (error) {
      closeQuietly(fd);
      throw error;
    }
    const messageId = this.association.nextMessageId();
    const command = this.association.frameCommand(context.id, {
      commandField: CommandField.CStoreRq,
      commandDataSetType: DATA_SET_PRESENT,
      messageId,
      priority: this.priority,
      affectedSopClassUid: this.file.sopClassUid,
      affectedSopInstanceUid: this.file.sopInstanceUid,
    });
    try {
      if (range) await streamPreparedRange(this.association, range, command, afterSent);
      else {
        await this.association.writeFramedPdus(command, () => undefined);
        await sendConverted(this.association, context, this.file, fd);
        afterSent?.();
      }
    } catch (error) {
      // A data set cut short cannot be finished on this association (PS3.8 E.2).
      this.association.abort(error instanceof Error ? error : new Error(String(error)));
      throw error;
    } finally {
      // Both senders settle only once their last read has: nothing still uses the descriptor.
      closeQuietly(fd);
    }
    const response = await readResponse(this.association, messageId, context, this.file);
    return { ...response, converted: response.transferSyntaxUid !== this.file.transferSyntaxUid };
  }

  /** Releases the file and the block of a store that will not be sent; no-op once sent. */
  dispose(): void {
    if (this.settled) return;
    this.settled = true;
    const opened = this.opened;
    if (!opened) return;
    // Close only after the read-ahead has settled, and give its block back.
    const range = this.range ?? opened.then(() => undefined);
    void range
      .then((prepared) => {
        if (!prepared) return;
        abandonRange(prepared);
        return prepared.first;
      })
      .catch(() => undefined)
      .then(() => opened)
      .then(closeQuietly, () => undefined);
  }
}

/**
 * Sends a store prepared ahead on `association`, after every earlier operation there.
 * `afterSent` runs once the whole data set is queued to the socket, before the response: the
 * moment to prepare the next store (only one request is outstanding; its reads may overlap).
 */
export function sendPreparedStore(
  association: Association,
  prepared: PreparedStore,
  afterSent?: () => void,
): Promise<StoreResponse> {
  return association.exclusive(() => prepared.send(afterSent));
}

function contextOrError(association: Association, file: Part10Info): AcceptedContext | Error {
  try {
    return association.contextFor(file.sopClassUid, transferSyntaxesFor(file.transferSyntaxUid));
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** The data set rewritten between explicit and implicit VR little endian (convertDataSet.ts). */
async function sendConverted(
  association: Association,
  context: AcceptedContext,
  file: Part10Info,
  fd: number,
): Promise<void> {
  const chunkSize = association.maxPdvDataLength;
  const reader = new BufferedFileReader(fd, file.dataSetOffset, file.fileSize);
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

/**
 * Reads the C-STORE-RSP. A response that does not answer this request (storeResponseMismatch)
 * aborts the association and rejects with ProtocolError: the instance is not counted as stored,
 * and a peer whose answers cannot be matched to our requests is not trusted with the next one.
 */
async function readResponse(
  association: Association,
  messageId: number,
  context: AcceptedContext,
  file: Part10Info,
): Promise<Omit<StoreResponse, 'converted'>> {
  const response = await association.receive();
  const { command } = response;
  const mismatch = storeResponseMismatch(command, messageId, file);
  if (mismatch) {
    const error = new ProtocolError(mismatch);
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

/**
 * Why `command` is not the C-STORE-RSP to request `messageId` for `file`, or undefined when it is.
 * PS3.7 9.3.1.2: the response's Affected SOP Class UID (0000,0002) and Affected SOP Instance UID
 * (0000,1000) are optional but, when present, those of the request; a response naming another
 * instance says nothing about ours. An element present with no value names nothing and is ignored.
 */
export function storeResponseMismatch(
  command: CommandSet,
  messageId: number,
  file: Pick<Part10Info, 'sopClassUid' | 'sopInstanceUid'>,
): string | undefined {
  if (
    command.commandField !== CommandField.CStoreRsp ||
    command.messageIdBeingRespondedTo !== messageId
  ) {
    const got = command.commandField.toString(16);
    return `expected C-STORE-RSP to message ${messageId}, got command 0x${got}`;
  }
  const other = (what: string, named: string, sent: string) =>
    `C-STORE-RSP to message ${messageId} names ${what} ${named}, ` +
    `not ${sent} that was sent: not counted as stored`;
  const { affectedSopInstanceUid: instance, affectedSopClassUid: sopClass } = command;
  if (instance && instance !== file.sopInstanceUid)
    return other('SOP instance', instance, file.sopInstanceUid);
  if (sopClass && sopClass !== file.sopClassUid)
    return other('SOP class', sopClass, file.sopClassUid);
  return undefined;
}

/**
 * The descriptor, once the file is seen to have the size its info says: an info read earlier
 * (the outbox keeps it in the job record) must still describe the file, or nothing is sent.
 */
function checkedSize(fd: number, file: Part10Info): number {
  const size = sizeOf(fd);
  if (size === file.fileSize) return fd;
  closeQuietly(fd);
  const change = size < file.fileSize ? 'shrank' : 'grew';
  throw new ProtocolError(
    `${file.path}: the file ${change} since it was read (${size} bytes, ${file.fileSize} before)`,
  );
}
