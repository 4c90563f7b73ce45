import { mkdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorklistItem } from '../../../preload/contract';
import { acceptAssociation } from '../../../main/core/dimse/acceptAssociation';
import { DEFAULT_TIMEOUTS } from '../../../main/core/dimse/associationTypes';
import { CommandField, NO_DATA_SET } from '../../../main/core/dimse/commandSet';
import { createMpps, finishMpps, MPPS_CONTEXT } from '../../../main/core/dimse/mpps';
import { openAssociation } from '../../../main/core/dimse/openAssociation';
import { SopClass } from '../../../main/core/dimse/uids';
import { outputText, runTool } from '../../services';

/**
 * No MPPS SCP ships in Debian (Orthanc and DCMTK have none), so a minimal one records each
 * request; DCMTK's dcmdump then parses what we sent, so the encoding is checked independently.
 */
const dir = path.join(os.tmpdir(), `dimse-mpps-${process.pid}`);
const received: { commandField: number; instanceUid: string; file: string }[] = [];
let server: net.Server;
let port = 0;

beforeAll(async () => {
  await mkdir(dir, { recursive: true });
  server = net.createServer((socket) => {
    void (async () => {
      const association = await acceptAssociation(socket, {
        aeTitle: 'MPPSSCP',
        abstractSyntaxes: [SopClass.ModalityPerformedProcedureStep],
        timeouts: DEFAULT_TIMEOUTS,
      });
      for (;;) {
        const { command, contextId, dataSet } = await association.receive();
        const instanceUid = command.affectedSopInstanceUid ?? command.requestedSopInstanceUid ?? '';
        const file = path.join(dir, `${received.length}.ds`);
        await writeFile(file, dataSet ?? Buffer.alloc(0));
        received.push({ commandField: command.commandField, instanceUid, file });
        await association.sendCommand(contextId, {
          commandField: command.commandField | 0x8000,
          commandDataSetType: NO_DATA_SET,
          messageIdBeingRespondedTo: command.messageId,
          affectedSopClassUid: SopClass.ModalityPerformedProcedureStep,
          affectedSopInstanceUid: instanceUid,
          status: 0,
        });
      }
    })().catch(() => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const item: WorklistItem = {
  key: '1.2.3|SPS1',
  patient: {
    name: { alphabetic: 'Müller^Jürgen', ideographic: '山田^太郎' },
    id: 'PID1',
    birthDate: '19700101',
    sex: 'M',
  },
  accessionNumber: 'ACC1',
  studyInstanceUid: '1.2.3',
  requestedProcedureId: 'RP1',
  scheduledStepId: 'SPS1',
  scheduledStepDescription: 'Wundfoto',
};

async function dump(file: string): Promise<string> {
  const result = await runTool('dcmdump', ['-q', '-f', '-te', '+U8', file]);
  expect(result.code, outputText(result)).toBe(0);
  return outputText(result);
}

describe('MPPS SCU', () => {
  it('N-CREATE IN PROGRESS then N-SET COMPLETED, with attributes DCMTK reads back', async () => {
    const association = await openAssociation({
      host: '127.0.0.1',
      port,
      calledAeTitle: 'MPPSSCP',
      callingAeTitle: 'CAPTURE1',
      presentationContexts: [MPPS_CONTEXT],
    });
    const uid = await createMpps(association, {
      item,
      performedStepId: 'PPS1',
      stationAeTitle: 'CAPTURE1',
      modality: 'XC',
      start: new Date(2026, 2, 1, 9, 30, 0),
    });
    await finishMpps(association, uid, {
      status: 'COMPLETED',
      end: new Date(2026, 2, 1, 9, 45, 0),
      series: [
        {
          seriesInstanceUid: '1.2.3.4',
          images: [{ sopClassUid: '1.2.840.10008.5.1.4.1.1.77.1.4', sopInstanceUid: '1.2.3.4.5' }],
        },
      ],
    });
    await association.release();

    expect(received.map((r) => [r.commandField, r.instanceUid])).toEqual([
      [CommandField.NCreateRq, uid],
      [CommandField.NSetRq, uid],
    ]);
    const created = await dump(received[0]?.file ?? '');
    expect(created).toMatch(/\(0040,0252\) CS \[IN PROGRESS\]/);
    expect(created).toContain('Müller^Jürgen=山田^太郎');
    expect(created).toMatch(/\(0040,0244\) DA \[20260301\]/);
    expect(created).toMatch(/\(0040,0009\) SH \[SPS1\]/);
    const set = await dump(received[1]?.file ?? '');
    expect(set).toMatch(/\(0040,0252\) CS \[COMPLETED\]/);
    expect(set).toMatch(/\(0008,1155\) UI \[1\.2\.3\.4\.5\]/);
  });
});
