/**
 * Storage commitment against an archive on a real socket that answers N-ACTION with a chosen
 * status and sends no report of its own: the test hands the station's SCP a late report, as one
 * that came on another association would be (PS3.4 J.3.3).
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { acceptAssociation } from '../../../main/core/dimse/acceptAssociation';
import { DEFAULT_TIMEOUTS } from '../../../main/core/dimse/associationTypes';
import { CommandField, NO_DATA_SET } from '../../../main/core/dimse/commandSet';
import { commitStorage } from '../../../main/core/dimse/commitStorage';
import { readDataSet, tag } from '../../../main/core/dimse/dataSet';
import { TimeoutError } from '../../../main/core/dimse/errors';
import { StationScp } from '../../../main/core/dimse/StationScp';
import { SopClass, TransferSyntax } from '../../../main/core/dimse/uids';
import { dimseCommitter } from '../../../main/core/outbox/senders/dimseCommitter';
import { dimseSender } from '../../../main/core/outbox/senders/dimseSender';
import { makeHarness, until } from './harness';
import { storesAll } from './storesAll';

const TransactionUID = tag(0x0008, 0x1195);

interface Archive {
  readonly port: number;
  /** Transaction UIDs of the N-ACTIONs received, in order. */
  readonly transactions: string[];
  stop(): Promise<void>;
}

/** Answers every Storage Commitment N-ACTION with `status`; never sends an N-EVENT-REPORT. */
async function startArchive(status: number): Promise<Archive> {
  const transactions: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    void (async () => {
      const association = await acceptAssociation(socket, {
        aeTitle: 'PACS',
        abstractSyntaxes: [SopClass.StorageCommitmentPushModel],
        timeouts: DEFAULT_TIMEOUTS,
      });
      for (;;) {
        const { command, contextId, dataSet } = await association.receive();
        const context = association.negotiated?.contexts.find((c) => c.id === contextId);
        const implicit = context?.transferSyntax === TransferSyntax.ImplicitVRLittleEndian;
        const request = readDataSet(dataSet ?? Buffer.alloc(0), implicit ? 'implicit' : 'explicit');
        transactions.push(
          request
            .get(TransactionUID)
            ?.value.toString('latin1')
            .replace(/[\0 ]+$/, '') ?? '',
        );
        await association.sendCommand(contextId, {
          commandField: CommandField.NActionRsp,
          commandDataSetType: NO_DATA_SET,
          messageIdBeingRespondedTo: command.messageId,
          affectedSopClassUid: SopClass.StorageCommitmentPushModel,
          status,
        });
      }
    })().catch(() => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    transactions,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const references = [
  { sopClassUid: '1.2.840.10008.5.1.4.1.1.7', sopInstanceUid: '1.2.826.0.1.3680043.2.1.1' },
  { sopClassUid: '1.2.840.10008.5.1.4.1.1.7', sopInstanceUid: '1.2.826.0.1.3680043.2.1.2' },
];

const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

async function archiveAndScp(status: number) {
  const archive = await startArchive(status);
  const scp = await StationScp.start({ aeTitle: 'CAPTURE1', host: '127.0.0.1' });
  running.push(archive, scp);
  const peer = {
    host: '127.0.0.1',
    port: archive.port,
    calledAeTitle: 'PACS',
    callingAeTitle: 'CAPTURE1',
    commit: true,
  };
  return { archive, scp, peer };
}

describe('storage commitment with a late or refusing archive (PS3.4 J)', () => {
  it('takes a report that came after its wait when its instances are asked again', async () => {
    const { archive, scp, peer } = await archiveAndScp(0);
    const first = commitStorage({ peer, references, scp, reportTimeoutMs: 10 });
    await expect(first).rejects.toBeInstanceOf(TimeoutError);
    const [transactionUid] = archive.transactions;
    // The archive reports after archiving, on an association of its own.
    scp.deliver({
      transactionUid: transactionUid ?? '',
      eventTypeId: 1,
      results: references.map((r) => ({ ...r, committed: true })),
    });
    const report = await commitStorage({ peer, references, scp, reportTimeoutMs: 1_000 });
    expect(report.transactionUid).toBe(transactionUid);
    expect(report.results.map((r) => r.committed)).toEqual([true, true]);
  });

  it('puts items whose N-ACTION is refused in needs-attention with the status', async () => {
    const { scp, peer } = await archiveAndScp(0x0122);
    const h = await makeHarness();
    const sender = dimseSender({ peer, send: storesAll, committer: dimseCommitter({ scp }) });
    const outbox = await h.open({
      destinations: [{ name: 'pacs', sender, commitRequested: true, demo: false }],
    });
    outbox.start();
    await outbox.enqueue(await h.makeInstance(1));
    const delivery = () => outbox.snapshot().items[0]?.deliveries.pacs;
    await until(() => delivery()?.state === 'needs-attention', 'needs attention');
    expect(delivery()).toMatchObject({ status: 0x0122 });
    expect(delivery()?.problem).toContain('0x0122');
    await outbox.stop();
  });
});
