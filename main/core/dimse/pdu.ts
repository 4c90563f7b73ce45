/**
 * PS3.8 9.3 PDU codec. PDU and item headers are big-endian (PS3.8 9.3.1); AE titles are 16 bytes,
 * space padded; UIDs in items are not padded (PS3.8 9.3.2.2.1 allows either, we strip NUL/space).
 */
import { ProtocolError } from './errors';
import {
  PduType,
  type AssociateAc,
  type AssociateRj,
  type AssociateRq,
  type Pdu,
  type Pdv,
  type PresentationContextProposal,
  type PresentationContextResult,
  type RoleSelection,
  type UserInformation,
} from './pduTypes';

const ItemType = {
  ApplicationContext: 0x10,
  PresentationContextRq: 0x20,
  PresentationContextAc: 0x21,
  AbstractSyntax: 0x30,
  TransferSyntax: 0x40,
  UserInformation: 0x50,
  MaxLength: 0x51,
  ImplementationClassUid: 0x52,
  RoleSelection: 0x54,
  ImplementationVersionName: 0x55,
} as const;

/** PDU header: type, reserved, 4-byte big-endian length (PS3.8 9.3.1). */
export const PDU_HEADER_LENGTH = 6;
/** PDV item header: 4-byte length, context id, message control header (PS3.8 9.3.5.1). */
export const PDV_HEADER_LENGTH = 6;

function pduHeader(type: number, bodyLength: number): Buffer {
  const header = Buffer.alloc(PDU_HEADER_LENGTH);
  header.writeUInt8(type, 0);
  header.writeUInt32BE(bodyLength, 2);
  return header;
}

function item(type: number, body: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt8(type, 0);
  header.writeUInt16BE(body.length, 2);
  return Buffer.concat([header, body]);
}

const ascii = (text: string): Buffer => Buffer.from(text, 'latin1');

function aeTitleBytes(title: string): Buffer {
  return ascii(title.padEnd(16, ' ').slice(0, 16));
}

function encodeUserInfo(info: UserInformation): Buffer {
  const max = Buffer.alloc(4);
  max.writeUInt32BE(info.maxPduLength, 0);
  const parts = [
    item(ItemType.MaxLength, max),
    item(ItemType.ImplementationClassUid, ascii(info.implementationClassUid)),
  ];
  for (const role of info.roleSelections ?? []) {
    const uid = ascii(role.sopClassUid);
    const body = Buffer.alloc(2 + uid.length + 2);
    body.writeUInt16BE(uid.length, 0);
    uid.copy(body, 2);
    body.writeUInt8(role.scu ? 1 : 0, 2 + uid.length);
    body.writeUInt8(role.scp ? 1 : 0, 3 + uid.length);
    parts.push(item(ItemType.RoleSelection, body));
  }
  if (info.implementationVersionName) {
    parts.push(item(ItemType.ImplementationVersionName, ascii(info.implementationVersionName)));
  }
  return item(ItemType.UserInformation, Buffer.concat(parts));
}

function associateBody(
  called: string,
  calling: string,
  applicationContext: string,
  contextItems: Buffer[],
  info: UserInformation,
): Buffer {
  const fixed = Buffer.alloc(68);
  fixed.writeUInt16BE(1, 0); // protocol version 1 (PS3.8 9.3.2)
  aeTitleBytes(called).copy(fixed, 4);
  aeTitleBytes(calling).copy(fixed, 20);
  return Buffer.concat([
    fixed,
    item(ItemType.ApplicationContext, ascii(applicationContext)),
    ...contextItems,
    encodeUserInfo(info),
  ]);
}

export function encodeAssociateRq(rq: Omit<AssociateRq, 'type'>): Buffer {
  const contexts = rq.presentationContexts.map((pc) =>
    item(
      ItemType.PresentationContextRq,
      Buffer.concat([
        Buffer.from([pc.id, 0, 0, 0]),
        item(ItemType.AbstractSyntax, ascii(pc.abstractSyntax)),
        ...pc.transferSyntaxes.map((ts) => item(ItemType.TransferSyntax, ascii(ts))),
      ]),
    ),
  );
  const body = associateBody(
    rq.calledAeTitle,
    rq.callingAeTitle,
    rq.applicationContext,
    contexts,
    rq.userInfo,
  );
  return Buffer.concat([pduHeader(PduType.AssociateRq, body.length), body]);
}

export function encodeAssociateAc(ac: Omit<AssociateAc, 'type'>): Buffer {
  const contexts = ac.presentationContexts.map((pc) =>
    item(
      ItemType.PresentationContextAc,
      Buffer.concat([
        Buffer.from([pc.id, 0, pc.result, 0]),
        item(ItemType.TransferSyntax, ascii(pc.transferSyntax)),
      ]),
    ),
  );
  const body = associateBody(
    ac.calledAeTitle,
    ac.callingAeTitle,
    ac.applicationContext,
    contexts,
    ac.userInfo,
  );
  return Buffer.concat([pduHeader(PduType.AssociateAc, body.length), body]);
}

export function encodeAssociateRj(rj: Omit<AssociateRj, 'type'>): Buffer {
  return Buffer.concat([
    pduHeader(PduType.AssociateRj, 4),
    Buffer.from([0, rj.result, rj.source, rj.reason]),
  ]);
}

export const encodeReleaseRq = (): Buffer =>
  Buffer.concat([pduHeader(PduType.ReleaseRq, 4), Buffer.alloc(4)]);
export const encodeReleaseRp = (): Buffer =>
  Buffer.concat([pduHeader(PduType.ReleaseRp, 4), Buffer.alloc(4)]);

/** PS3.8 9.3.8: source 0 = service user, 2 = service provider. */
export function encodeAbort(source = 0, reason = 0): Buffer {
  return Buffer.concat([pduHeader(PduType.Abort, 4), Buffer.from([0, 0, source, reason])]);
}

/**
 * Writes, at `offset` of `target`, the header of a P-DATA-TF holding a single PDV of `dataLength`
 * bytes: PDU header then PDV item header. The data goes right after it (no copy of large data).
 */
export function writePDataHeader(
  target: Buffer,
  offset: number,
  contextId: number,
  isCommand: boolean,
  isLast: boolean,
  dataLength: number,
): void {
  target.writeUInt8(PduType.PDataTf, offset);
  target.writeUInt8(0, offset + 1);
  target.writeUInt32BE(dataLength + PDV_HEADER_LENGTH, offset + 2);
  target.writeUInt32BE(dataLength + 2, offset + 6);
  target.writeUInt8(contextId, offset + 10);
  target.writeUInt8((isCommand ? 1 : 0) | (isLast ? 2 : 0), offset + 11);
}

/** The 12-byte header of a P-DATA-TF holding one PDV of `dataLength` bytes. */
export function encodePDataHeader(
  contextId: number,
  isCommand: boolean,
  isLast: boolean,
  dataLength: number,
): Buffer {
  const header = Buffer.alloc(PDU_HEADER_LENGTH + PDV_HEADER_LENGTH);
  writePDataHeader(header, 0, contextId, isCommand, isLast, dataLength);
  return header;
}

/**
 * Frames a whole message part (command set or small data set) as consecutive P-DATA-TF PDUs, one
 * PDV each of at most `maxPdvData` bytes, the last PDV flagged (PS3.8 9.3.5, E.2), in one buffer:
 * one socket write however many fragments. An empty `bytes` gives one empty last PDV.
 */
export function framePdvs(
  contextId: number,
  isCommand: boolean,
  bytes: Buffer,
  maxPdvData: number,
): Buffer {
  const count = Math.max(1, Math.ceil(bytes.length / maxPdvData));
  const frameHeader = PDU_HEADER_LENGTH + PDV_HEADER_LENGTH;
  const framed = Buffer.allocUnsafe(bytes.length + count * frameHeader);
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const slice = bytes.subarray(i * maxPdvData, (i + 1) * maxPdvData);
    writePDataHeader(framed, offset, contextId, isCommand, i === count - 1, slice.length);
    slice.copy(framed, offset + frameHeader);
    offset += frameHeader + slice.length;
  }
  return framed;
}

// ---- decoding ---------------------------------------------------------------------------------

interface RawItem {
  readonly type: number;
  readonly body: Buffer;
}

function readItems(buffer: Buffer, what: string): RawItem[] {
  const items: RawItem[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    if (offset + 4 > buffer.length) throw new ProtocolError(`truncated item header in ${what}`);
    const type = buffer.readUInt8(offset);
    const length = buffer.readUInt16BE(offset + 2);
    const end = offset + 4 + length;
    if (end > buffer.length)
      throw new ProtocolError(`item 0x${type.toString(16)} overruns ${what}`);
    items.push({ type, body: buffer.subarray(offset + 4, end) });
    offset = end;
  }
  return items;
}

const uidText = (buffer: Buffer): string => buffer.toString('latin1').replace(/[\0 ]+$/, '');
const aeText = (buffer: Buffer): string => buffer.toString('latin1').trim();

function decodeUserInfo(body: Buffer): UserInformation {
  let maxPduLength = 0;
  let implementationClassUid = '';
  let implementationVersionName: string | undefined;
  const roleSelections: RoleSelection[] = [];
  for (const sub of readItems(body, 'user information')) {
    if (sub.type === ItemType.MaxLength && sub.body.length >= 4)
      maxPduLength = sub.body.readUInt32BE(0);
    else if (sub.type === ItemType.ImplementationClassUid)
      implementationClassUid = uidText(sub.body);
    else if (sub.type === ItemType.ImplementationVersionName)
      implementationVersionName = aeText(sub.body);
    else if (sub.type === ItemType.RoleSelection && sub.body.length >= 2) {
      const uidLength = sub.body.readUInt16BE(0);
      roleSelections.push({
        sopClassUid: uidText(sub.body.subarray(2, 2 + uidLength)),
        scu: sub.body.readUInt8(2 + uidLength) === 1,
        scp: sub.body.readUInt8(3 + uidLength) === 1,
      });
    }
  }
  return { maxPduLength, implementationClassUid, implementationVersionName, roleSelections };
}

function decodeProposal(body: Buffer): PresentationContextProposal {
  const subItems = readItems(body.subarray(4), 'presentation context');
  return {
    id: body.readUInt8(0),
    abstractSyntax: uidText(
      subItems.find((s) => s.type === ItemType.AbstractSyntax)?.body ?? Buffer.alloc(0),
    ),
    transferSyntaxes: subItems
      .filter((s) => s.type === ItemType.TransferSyntax)
      .map((s) => uidText(s.body)),
  };
}

function decodeResult(body: Buffer): PresentationContextResult {
  const ts = readItems(body.subarray(4), 'presentation context').find(
    (s) => s.type === ItemType.TransferSyntax,
  );
  return {
    id: body.readUInt8(0),
    result: body.readUInt8(2),
    transferSyntax: ts ? uidText(ts.body) : '',
  };
}

function decodeAssociate(type: number, body: Buffer): AssociateRq | AssociateAc {
  if (body.length < 68) throw new ProtocolError('A-ASSOCIATE PDU shorter than its fixed fields');
  const items = readItems(body.subarray(68), 'A-ASSOCIATE');
  const common = {
    calledAeTitle: aeText(body.subarray(4, 20)),
    callingAeTitle: aeText(body.subarray(20, 36)),
    applicationContext: uidText(
      items.find((i) => i.type === ItemType.ApplicationContext)?.body ?? Buffer.alloc(0),
    ),
    userInfo: decodeUserInfo(
      items.find((i) => i.type === ItemType.UserInformation)?.body ?? Buffer.alloc(0),
    ),
  };
  if (type === PduType.AssociateRq) {
    const contexts = items
      .filter((i) => i.type === ItemType.PresentationContextRq)
      .map((i) => decodeProposal(i.body));
    return { type: 'associate-rq', ...common, presentationContexts: contexts };
  }
  const contexts = items
    .filter((i) => i.type === ItemType.PresentationContextAc)
    .map((i) => decodeResult(i.body));
  return { type: 'associate-ac', ...common, presentationContexts: contexts };
}

function decodePDataTf(body: Buffer): Pdu {
  const pdvs: Pdv[] = [];
  let offset = 0;
  while (offset < body.length) {
    if (offset + PDV_HEADER_LENGTH > body.length) throw new ProtocolError('truncated PDV header');
    const length = body.readUInt32BE(offset);
    const end = offset + 4 + length;
    if (length < 2 || end > body.length)
      throw new ProtocolError('PDV length overruns its P-DATA-TF');
    const control = body.readUInt8(offset + 5);
    pdvs.push({
      contextId: body.readUInt8(offset + 4),
      isCommand: (control & 1) === 1,
      isLast: (control & 2) === 2,
      data: body.subarray(offset + 6, end),
    });
    offset = end;
  }
  return { type: 'p-data-tf', pdvs };
}

/** Decode one PDU body (without its 6-byte header). Throws ProtocolError on malformed input. */
export function decodePdu(type: number, body: Buffer): Pdu {
  try {
    return decodeBody(type, body);
  } catch (error) {
    if (error instanceof RangeError)
      throw new ProtocolError(`truncated PDU of type 0x${type.toString(16)}`);
    throw error;
  }
}

function decodeBody(type: number, body: Buffer): Pdu {
  switch (type) {
    case PduType.AssociateRq:
    case PduType.AssociateAc:
      return decodeAssociate(type, body);
    case PduType.AssociateRj:
      return {
        type: 'associate-rj',
        result: body.readUInt8(1),
        source: body.readUInt8(2),
        reason: body.readUInt8(3),
      };
    case PduType.PDataTf:
      return decodePDataTf(body);
    case PduType.ReleaseRq:
      return { type: 'release-rq' };
    case PduType.ReleaseRp:
      return { type: 'release-rp' };
    case PduType.Abort:
      return { type: 'abort', source: body.readUInt8(2), reason: body.readUInt8(3) };
    default:
      throw new ProtocolError(`unknown PDU type 0x${type.toString(16)}`);
  }
}
