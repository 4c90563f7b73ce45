/**
 * DIMSE command sets (PS3.7 E.1): group 0000, always Implicit VR Little Endian, starting with
 * CommandGroupLength. Encoded by hand: a dozen fixed elements do not need a general encoder.
 */
import { ProtocolError } from './errors';

export const CommandField = {
  CStoreRq: 0x0001,
  CStoreRsp: 0x8001,
  CFindRq: 0x0020,
  CFindRsp: 0x8020,
  CEchoRq: 0x0030,
  CEchoRsp: 0x8030,
  NEventReportRq: 0x0100,
  NEventReportRsp: 0x8100,
  NSetRq: 0x0120,
  NSetRsp: 0x8120,
  NActionRq: 0x0130,
  NActionRsp: 0x8130,
  NCreateRq: 0x0140,
  NCreateRsp: 0x8140,
  CCancelRq: 0x0fff,
} as const;

/** PS3.7 E.1: CommandDataSetType 0x0101 = no data set; any other value = a data set follows. */
export const NO_DATA_SET = 0x0101;
export const DATA_SET_PRESENT = 0x0000;

export interface CommandSet {
  readonly commandField: number;
  readonly commandDataSetType: number;
  readonly messageId?: number;
  readonly messageIdBeingRespondedTo?: number;
  readonly affectedSopClassUid?: string;
  readonly requestedSopClassUid?: string;
  readonly affectedSopInstanceUid?: string;
  readonly requestedSopInstanceUid?: string;
  readonly priority?: number;
  readonly status?: number;
  readonly errorComment?: string;
  readonly eventTypeId?: number;
  readonly actionTypeId?: number;
  readonly moveOriginatorAeTitle?: string;
  readonly moveOriginatorMessageId?: number;
}

type Vr = 'US' | 'UI' | 'AE' | 'LO';
type Key = Exclude<keyof CommandSet, never>;

/** Element number in group 0000 and VR per field, in ascending tag order (PS3.7 E.1-1). */
const FIELDS: readonly (readonly [Key, number, Vr])[] = [
  ['affectedSopClassUid', 0x0002, 'UI'],
  ['requestedSopClassUid', 0x0003, 'UI'],
  ['commandField', 0x0100, 'US'],
  ['messageId', 0x0110, 'US'],
  ['messageIdBeingRespondedTo', 0x0120, 'US'],
  ['priority', 0x0700, 'US'],
  ['commandDataSetType', 0x0800, 'US'],
  ['status', 0x0900, 'US'],
  ['errorComment', 0x0902, 'LO'],
  ['affectedSopInstanceUid', 0x1000, 'UI'],
  ['requestedSopInstanceUid', 0x1001, 'UI'],
  ['eventTypeId', 0x1002, 'US'],
  ['actionTypeId', 0x1008, 'US'],
  ['moveOriginatorAeTitle', 0x1030, 'AE'],
  ['moveOriginatorMessageId', 0x1031, 'US'],
];

function encodeValue(vr: Vr, value: string | number): Buffer {
  if (vr === 'US') {
    const buffer = Buffer.alloc(2);
    buffer.writeUInt16LE(value as number, 0);
    return buffer;
  }
  const text = String(value);
  // PS3.5 6.2: UI pads with NUL, other strings with a space, to even length.
  const pad = text.length % 2 === 1 ? (vr === 'UI' ? '\0' : ' ') : '';
  return Buffer.from(text + pad, 'latin1');
}

function element(elementNumber: number, value: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt16LE(0x0000, 0);
  header.writeUInt16LE(elementNumber, 2);
  header.writeUInt32LE(value.length, 4);
  return Buffer.concat([header, value]);
}

export function encodeCommandSet(command: CommandSet): Buffer {
  const elements: Buffer[] = [];
  for (const [key, elementNumber, vr] of FIELDS) {
    const value = command[key];
    if (value !== undefined) elements.push(element(elementNumber, encodeValue(vr, value)));
  }
  const body = Buffer.concat(elements);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(body.length, 0);
  return Buffer.concat([element(0x0000, groupLength), body]);
}

export function decodeCommandSet(buffer: Buffer): CommandSet {
  const values: Partial<Record<Key, string | number>> = {};
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const group = buffer.readUInt16LE(offset);
    const elementNumber = buffer.readUInt16LE(offset + 2);
    const length = buffer.readUInt32LE(offset + 4);
    const value = buffer.subarray(offset + 8, offset + 8 + length);
    if (group !== 0 || value.length !== length)
      throw new ProtocolError('malformed DIMSE command set');
    const field = FIELDS.find(([, number]) => number === elementNumber);
    if (field) {
      const [key, , vr] = field;
      values[key] =
        vr === 'US' ? value.readUInt16LE(0) : value.toString('latin1').replace(/[\0 ]+$/, '');
    }
    offset += 8 + length;
  }
  if (values.commandField === undefined)
    throw new ProtocolError('DIMSE command set without CommandField');
  return { commandDataSetType: NO_DATA_SET, ...values } as CommandSet;
}

/** True when a data set follows this command (PS3.7 E.1). */
export const hasDataSet = (command: CommandSet): boolean =>
  command.commandDataSetType !== NO_DATA_SET;
