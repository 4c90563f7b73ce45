import { describe, expect, it } from 'vitest';
import {
  decodePdu,
  encodeAbort,
  encodeAssociateAc,
  encodeAssociateRj,
  encodeAssociateRq,
  encodePDataHeader,
  framePdvs,
} from '../../../main/core/dimse/pdu';
import { PduReader } from '../../../main/core/dimse/PduReader';
import { ProtocolError } from '../../../main/core/dimse/errors';

const userInfo = {
  maxPduLength: 16384,
  implementationClassUid: '1.2.3.4',
  implementationVersionName: 'TEST_1',
  roleSelections: [{ sopClassUid: '1.2.840.10008.1.20.1', scu: true, scp: true }],
};

describe('PS3.8 9.3 PDU codec', () => {
  it('round-trips an A-ASSOCIATE-RQ with contexts, max length, implementation and roles', () => {
    const encoded = encodeAssociateRq({
      calledAeTitle: 'ORTHANC',
      callingAeTitle: 'CAPTURE1',
      applicationContext: '1.2.840.10008.3.1.1.1',
      presentationContexts: [
        { id: 1, abstractSyntax: '1.2.840.10008.1.1', transferSyntaxes: ['1.2.840.10008.1.2'] },
        {
          id: 3,
          abstractSyntax: '1.2.840.10008.5.1.4.31',
          transferSyntaxes: ['1.2.840.10008.1.2.1', '1.2.840.10008.1.2'],
        },
      ],
      userInfo,
    });
    expect(encoded.readUInt8(0)).toBe(1);
    expect(encoded.readUInt32BE(2)).toBe(encoded.length - 6);
    // AE titles are 16 bytes, space padded (PS3.8 9.3.2).
    expect(encoded.subarray(10, 26).toString('latin1')).toBe('ORTHANC         ');
    const decoded = decodePdu(1, encoded.subarray(6));
    expect(decoded).toMatchObject({
      type: 'associate-rq',
      calledAeTitle: 'ORTHANC',
      callingAeTitle: 'CAPTURE1',
      applicationContext: '1.2.840.10008.3.1.1.1',
      presentationContexts: [
        { id: 1, transferSyntaxes: ['1.2.840.10008.1.2'] },
        { id: 3, abstractSyntax: '1.2.840.10008.5.1.4.31' },
      ],
      userInfo,
    });
  });

  it('round-trips an A-ASSOCIATE-AC with per-context results', () => {
    const encoded = encodeAssociateAc({
      calledAeTitle: 'A',
      callingAeTitle: 'B',
      applicationContext: '1.2.840.10008.3.1.1.1',
      presentationContexts: [
        { id: 1, result: 0, transferSyntax: '1.2.840.10008.1.2' },
        { id: 3, result: 4, transferSyntax: '1.2.840.10008.1.2' },
      ],
      userInfo,
    });
    const decoded = decodePdu(2, encoded.subarray(6));
    expect(decoded).toMatchObject({
      type: 'associate-ac',
      presentationContexts: [
        { id: 1, result: 0 },
        { id: 3, result: 4 },
      ],
      userInfo: { maxPduLength: 16384 },
    });
  });

  it('decodes A-ASSOCIATE-RJ and A-ABORT fields', () => {
    const rj = encodeAssociateRj({ result: 1, source: 1, reason: 7 });
    expect(decodePdu(3, rj.subarray(6))).toEqual({
      type: 'associate-rj',
      result: 1,
      source: 1,
      reason: 7,
    });
    const abort = encodeAbort(2, 6);
    expect(decodePdu(7, abort.subarray(6))).toEqual({ type: 'abort', source: 2, reason: 6 });
  });

  it('frames PDVs: length counts the 2 header bytes, control bits mark command and last', () => {
    const data = Buffer.from('abcd');
    const pdu = Buffer.concat([encodePDataHeader(5, true, true, data.length), data]);
    expect(pdu.readUInt32BE(2)).toBe(10);
    expect(pdu.readUInt32BE(6)).toBe(6);
    expect(decodePdu(4, pdu.subarray(6))).toEqual({
      type: 'p-data-tf',
      pdvs: [{ contextId: 5, isCommand: true, isLast: true, data }],
    });
  });

  it('frames a message part as consecutive one-PDV PDUs, only the last flagged (PS3.8 E.2)', () => {
    const bytes = Buffer.from('0123456789');
    const pdus = new PduReader().push(framePdvs(3, true, bytes, 4));
    const pdvs = pdus.flatMap((pdu) => (pdu.type === 'p-data-tf' ? pdu.pdvs : []));
    expect(pdus).toHaveLength(3);
    expect(pdvs.map((p) => [p.contextId, p.isCommand, p.isLast, p.data.toString()])).toEqual([
      [3, true, false, '0123'],
      [3, true, false, '4567'],
      [3, true, true, '89'],
    ]);
    const empty = new PduReader().push(framePdvs(1, false, Buffer.alloc(0), 4));
    expect(empty).toEqual([
      {
        type: 'p-data-tf',
        pdvs: [{ contextId: 1, isCommand: false, isLast: true, data: Buffer.alloc(0) }],
      },
    ]);
  });

  it('refuses truncated and unknown PDUs with ProtocolError', () => {
    expect(() => decodePdu(3, Buffer.alloc(1))).toThrow(ProtocolError);
    expect(() => decodePdu(9, Buffer.alloc(4))).toThrow(ProtocolError);
    expect(() => decodePdu(4, Buffer.from([0, 0, 0, 9, 1, 3]))).toThrow(ProtocolError);
  });
});

describe('PduReader', () => {
  it('reassembles PDUs split at every byte boundary and joined back to back', () => {
    const a = encodeAbort(0, 0);
    const data = Buffer.from('xyz!');
    const b = Buffer.concat([encodePDataHeader(1, false, false, 4), data]);
    const stream = Buffer.concat([b, a]);
    const reader = new PduReader();
    const pdus = [...stream].flatMap((byte) => reader.push(Buffer.from([byte])));
    expect(pdus.map((p) => p.type)).toEqual(['p-data-tf', 'abort']);
    const joined = new PduReader().push(stream);
    expect(joined).toHaveLength(2);
  });

  it('refuses a P-DATA-TF larger than the length we announced', () => {
    const reader = new PduReader(1000);
    expect(() => reader.push(encodePDataHeader(1, false, true, 5000))).toThrow(ProtocolError);
  });
});
