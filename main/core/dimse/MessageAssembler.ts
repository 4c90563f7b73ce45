/**
 * Joins PDV fragments into whole DIMSE messages (PS3.8 E.2): the command fragments up to the one
 * marked last, then — when CommandDataSetType says so — the data set fragments up to their last.
 * Incoming data sets are responses (C-FIND identifiers, N-EVENT-REPORT info) and small, so they are
 * held in memory.
 */
import { decodeCommandSet, hasDataSet, type CommandSet } from './commandSet';
import { ProtocolError } from './errors';
import type { Pdv } from './pduTypes';

export interface DimseMessage {
  readonly contextId: number;
  readonly command: CommandSet;
  /** The data set bytes, encoded in the context's transfer syntax. */
  readonly dataSet?: Buffer;
}

export class MessageAssembler {
  private commandParts: Buffer[] = [];
  private dataParts: Buffer[] = [];
  private pendingCommand: { contextId: number; command: CommandSet } | undefined;

  /** Returns the message a PDV completes, if any. Throws ProtocolError on an out-of-order PDV. */
  push(pdv: Pdv): DimseMessage | undefined {
    if (pdv.isCommand) return this.pushCommand(pdv);
    if (!this.pendingCommand || pdv.contextId !== this.pendingCommand.contextId) {
      throw new ProtocolError('data set fragment without a command announcing it');
    }
    this.dataParts.push(pdv.data);
    if (!pdv.isLast) return undefined;
    const message = { ...this.pendingCommand, dataSet: Buffer.concat(this.dataParts) };
    this.pendingCommand = undefined;
    this.dataParts = [];
    return message;
  }

  private pushCommand(pdv: Pdv): DimseMessage | undefined {
    if (this.pendingCommand) throw new ProtocolError('new command while a data set was expected');
    this.commandParts.push(pdv.data);
    if (!pdv.isLast) return undefined;
    const command = decodeCommandSet(Buffer.concat(this.commandParts));
    this.commandParts = [];
    if (!hasDataSet(command)) return { contextId: pdv.contextId, command };
    this.pendingCommand = { contextId: pdv.contextId, command };
    return undefined;
  }
}
