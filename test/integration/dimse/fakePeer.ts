/**
 * A scripted misbehaving peer on a real socket, for the failures real servers do not produce on
 * demand: never answering, aborting mid-transfer, refusing one transfer syntax.
 */
import net from 'node:net';
import {
  CommandField,
  DATA_SET_PRESENT,
  encodeCommandSet,
  NO_DATA_SET,
} from '../../../main/core/dimse/commandSet';
import { encodeDataSet, readDataSet, tag } from '../../../main/core/dimse/dataSet';
import { MessageAssembler, type DimseMessage } from '../../../main/core/dimse/MessageAssembler';
import {
  encodeAbort,
  encodeAssociateAc,
  encodeAssociateRj,
  encodePDataHeader,
  encodeReleaseRp,
} from '../../../main/core/dimse/pdu';
import { PduReader } from '../../../main/core/dimse/PduReader';
import type { Pdu } from '../../../main/core/dimse/pduTypes';

export type FakeBehaviour =
  | { kind: 'reject'; result: number; source: number; reason: number }
  | { kind: 'silent' }
  /**
   * Accepts each context in its first offered syntax that is in `acceptOnly` (any when absent).
   * Never answers a DIMSE request unless `pendingFind` is given.
   */
  | {
      kind: 'accept';
      acceptOnly?: readonly string[];
      abortAfterBytes?: number;
      /** Answer a C-FIND with this one pending match, then confirm a C-CANCEL with 0xFE00. */
      pendingFind?: Buffer;
      /** Answer N-ACTION and send the commitment report on the same association (role SCP). */
      commitHere?: boolean;
    };

export interface FakePeer {
  readonly port: number;
  /** Commands the peer received in answer to its own requests (e.g. N-EVENT-REPORT-RSP). */
  readonly acknowledged: readonly number[];
  /** P-DATA bytes received so far. */
  receivedBytes(): number;
  stop(): Promise<void>;
}

export async function startFakePeer(behaviour: FakeBehaviour): Promise<FakePeer> {
  let received = 0;
  const acknowledged: number[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const reader = new PduReader();
    const assembler = new MessageAssembler();
    socket.on('data', (chunk: Buffer) => {
      for (const pdu of reader.push(chunk)) {
        if (pdu.type === 'p-data-tf') {
          received += pdu.pdvs.reduce((n, p) => n + p.data.length, 0);
          for (const pdv of pdu.pdvs) {
            const message = assembler.push(pdv);
            if (message && behaviour.kind === 'accept' && behaviour.commitHere) {
              answerCommitment(socket, message, acknowledged);
            }
            if (message && behaviour.kind === 'accept' && behaviour.pendingFind) {
              answerFind(socket, message, behaviour.pendingFind);
            }
          }
        }
        respond(socket, pdu, behaviour, received);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    acknowledged,
    receivedBytes: () => received,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function respond(socket: net.Socket, pdu: Pdu, behaviour: FakeBehaviour, received: number): void {
  if (behaviour.kind === 'silent') return;
  if (pdu.type === 'release-rq') {
    socket.end(encodeReleaseRp());
    return;
  }
  if (pdu.type === 'associate-rq') {
    if (behaviour.kind === 'reject') {
      socket.write(encodeAssociateRj(behaviour));
      return;
    }
    socket.write(
      encodeAssociateAc({
        calledAeTitle: pdu.calledAeTitle,
        callingAeTitle: pdu.callingAeTitle,
        applicationContext: pdu.applicationContext,
        presentationContexts: pdu.presentationContexts.map((pc) => {
          const ts = pc.transferSyntaxes.find(
            (t) => !behaviour.acceptOnly || behaviour.acceptOnly.includes(t),
          );
          return {
            id: pc.id,
            result: ts ? 0 : 4,
            transferSyntax: ts ?? pc.transferSyntaxes[0] ?? '',
          };
        }),
        userInfo: { maxPduLength: 16384, implementationClassUid: '1.2.3.4.5' },
      }),
    );
    return;
  }
  if (
    behaviour.kind === 'accept' &&
    behaviour.abortAfterBytes !== undefined &&
    received >= behaviour.abortAfterBytes
  ) {
    socket.end(encodeAbort(2, 0));
  }
}

function sendMessage(
  socket: net.Socket,
  contextId: number,
  command: Buffer,
  dataSet?: Buffer,
): void {
  socket.write(Buffer.concat([encodePDataHeader(contextId, true, true, command.length), command]));
  if (dataSet)
    socket.write(
      Buffer.concat([encodePDataHeader(contextId, false, true, dataSet.length), dataSet]),
    );
}

let findMessageId = 0;
function answerFind(socket: net.Socket, message: DimseMessage, match: Buffer): void {
  const { command, contextId } = message;
  if (command.commandField === CommandField.CFindRq) {
    findMessageId = command.messageId ?? 0;
    const pending = {
      commandField: CommandField.CFindRsp,
      commandDataSetType: DATA_SET_PRESENT,
      messageIdBeingRespondedTo: findMessageId,
      status: 0xff00,
    };
    sendMessage(socket, contextId, encodeCommandSet(pending), match);
  } else if (
    command.commandField === CommandField.CCancelRq &&
    command.messageIdBeingRespondedTo === findMessageId
  ) {
    const cancelled = {
      commandField: CommandField.CFindRsp,
      commandDataSetType: NO_DATA_SET,
      messageIdBeingRespondedTo: findMessageId,
      status: 0xfe00,
    };
    sendMessage(socket, contextId, encodeCommandSet(cancelled));
  }
}

/** PS3.4 J.3.2/J.3.3: N-ACTION-RSP success, then N-EVENT-REPORT event 1 echoing the references. */
function answerCommitment(socket: net.Socket, message: DimseMessage, acknowledged: number[]): void {
  const { command, contextId } = message;
  if (command.commandField === CommandField.NEventReportRsp) {
    acknowledged.push(command.status ?? -1);
    return;
  }
  if (command.commandField !== CommandField.NActionRq || !message.dataSet) return;
  const request = readDataSet(message.dataSet, 'explicit');
  const rsp = {
    commandField: CommandField.NActionRsp,
    commandDataSetType: NO_DATA_SET,
    messageIdBeingRespondedTo: command.messageId,
    affectedSopClassUid: command.requestedSopClassUid,
    affectedSopInstanceUid: command.requestedSopInstanceUid,
    status: 0,
  };
  sendMessage(socket, contextId, encodeCommandSet(rsp));
  const report = encodeDataSet(
    [
      { tag: tag(0x0008, 0x1195), vr: 'UI', value: request.get(tag(0x0008, 0x1195))?.value ?? '' },
      {
        tag: tag(0x0008, 0x1199),
        vr: 'SQ',
        value: (request.get(tag(0x0008, 0x1199))?.items ?? []).map((item) =>
          [...item.values()].map((e) => ({ tag: e.tag, vr: e.vr, value: e.value })),
        ),
      },
    ],
    'explicit',
  );
  const event = {
    commandField: CommandField.NEventReportRq,
    commandDataSetType: DATA_SET_PRESENT,
    messageId: 1,
    affectedSopClassUid: command.requestedSopClassUid,
    affectedSopInstanceUid: command.requestedSopInstanceUid,
    eventTypeId: 1,
  };
  sendMessage(socket, contextId, encodeCommandSet(event), report);
}
