/**
 * A C-STORE-RSP must answer the request it claims to (PS3.7 9.3.1.2): one naming another SOP
 * instance or class says nothing about ours, so the instance is reported not stored.
 */
import { writeFile, mkdtemp } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CommandField,
  NO_DATA_SET,
  encodeCommandSet,
  type CommandSet,
} from '../../../main/core/dimse/commandSet';
import { ProtocolError } from '../../../main/core/dimse/errors';
import { MessageAssembler } from '../../../main/core/dimse/MessageAssembler';
import type { Part10Info } from '../../../main/core/dimse/part10';
import {
  encodeAssociateAc,
  encodePDataHeader,
  encodeReleaseRp,
} from '../../../main/core/dimse/pdu';
import { PduReader } from '../../../main/core/dimse/PduReader';
import { sendFiles } from '../../../main/core/dimse/sendFiles';
import { storeResponseMismatch } from '../../../main/core/dimse/store';

const VL_PHOTO = '1.2.840.10008.5.1.4.1.1.77.1.4';
const EXPLICIT_LE = '1.2.840.10008.1.2.1';

type Answer = (request: CommandSet) => Partial<CommandSet>;

/** A loopback C-STORE SCP that accepts everything and answers each request as `answer` says. */
async function startScp(answer: Answer): Promise<{ port: number; stop: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    const reader = new PduReader();
    const assembler = new MessageAssembler();
    socket.on('data', (chunk: Buffer) => {
      for (const pdu of reader.push(chunk)) {
        if (pdu.type === 'associate-rq')
          socket.write(
            encodeAssociateAc({
              calledAeTitle: pdu.calledAeTitle,
              callingAeTitle: pdu.callingAeTitle,
              applicationContext: pdu.applicationContext,
              presentationContexts: pdu.presentationContexts.map((pc) => ({
                id: pc.id,
                result: 0,
                transferSyntax: pc.transferSyntaxes[0] ?? '',
              })),
              userInfo: { maxPduLength: 16384, implementationClassUid: '1.2.3.4.5' },
            }),
          );
        else if (pdu.type === 'release-rq') socket.end(encodeReleaseRp());
        else if (pdu.type === 'p-data-tf')
          for (const pdv of pdu.pdvs) {
            const message = assembler.push(pdv);
            if (message?.command.commandField !== CommandField.CStoreRq) continue;
            const rsp = encodeCommandSet({
              commandField: CommandField.CStoreRsp,
              commandDataSetType: NO_DATA_SET,
              messageIdBeingRespondedTo: message.command.messageId,
              affectedSopClassUid: message.command.affectedSopClassUid,
              affectedSopInstanceUid: message.command.affectedSopInstanceUid,
              status: 0x0000,
              ...answer(message.command),
            });
            socket.write(
              Buffer.concat([encodePDataHeader(message.contextId, true, true, rsp.length), rsp]),
            );
          }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A file whose data set bytes the SCP above never reads: what matters is the answer. */
async function instance(uid: string): Promise<Part10Info> {
  const path = join(await mkdtemp(join(tmpdir(), 'store-rsp-')), `${uid}.dcm`);
  const bytes = Buffer.alloc(256, 0x20);
  await writeFile(path, bytes);
  return {
    path,
    sopClassUid: VL_PHOTO,
    sopInstanceUid: uid,
    transferSyntaxUid: EXPLICIT_LE,
    dataSetOffset: 132,
    fileSize: bytes.length,
  };
}

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

async function sendOne(answer: Answer) {
  const scp = await startScp(answer);
  stop = scp.stop;
  const peer = {
    host: '127.0.0.1',
    port: scp.port,
    calledAeTitle: 'ARCHIVE',
    callingAeTitle: 'CAPTURE1',
  };
  const [result] = await sendFiles([await instance('1.2.3.4.100')], { peer });
  return result;
}

describe('C-STORE-RSP matched to its request (PS3.7 9.3.1.2)', () => {
  it('a success naming another SOP instance is a protocol error, not stored', async () => {
    const result = await sendOne(() => ({ affectedSopInstanceUid: '1.2.3.4.999' }));
    expect(result).toMatchObject({ stored: false, outcome: 'error' });
    expect(result?.error).toBeInstanceOf(ProtocolError);
    expect(result?.message).toContain('names SOP instance 1.2.3.4.999, not 1.2.3.4.100');
    await stop?.();
    expect(await sendOne(() => ({}))).toMatchObject({ stored: true, outcome: 'success' });
  });

  it('naming another SOP class is a protocol error; absent or empty UIDs are not', async () => {
    const result = await sendOne(() => ({ affectedSopClassUid: '1.2.840.10008.5.1.4.1.1.7' }));
    expect(result).toMatchObject({ stored: false, outcome: 'error' });
    expect(result?.message).toContain('names SOP class 1.2.840.10008.5.1.4.1.1.7, not');
    // Both elements are optional in the response: without them the status decides.
    const file = { sopClassUid: VL_PHOTO, sopInstanceUid: '1.2.3' };
    const rsp = { commandField: CommandField.CStoreRsp, commandDataSetType: NO_DATA_SET };
    const answered = { ...rsp, messageIdBeingRespondedTo: 7 };
    expect(storeResponseMismatch(answered, 7, file)).toBe(undefined);
    const empty = { ...answered, affectedSopInstanceUid: '', affectedSopClassUid: '' };
    expect(storeResponseMismatch(empty, 7, file)).toBe(undefined);
  });
});
