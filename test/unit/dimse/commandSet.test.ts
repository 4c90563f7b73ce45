import { describe, expect, it } from 'vitest';
import {
  CommandField,
  decodeCommandSet,
  encodeCommandSet,
  NO_DATA_SET,
} from '../../../main/core/dimse/commandSet';
import { MessageAssembler } from '../../../main/core/dimse/MessageAssembler';
import { ProtocolError } from '../../../main/core/dimse/errors';

describe('PS3.7 E.1 command set', () => {
  it('encodes Implicit VR LE with a correct CommandGroupLength and even-padded UIDs', () => {
    const encoded = encodeCommandSet({
      commandField: CommandField.CEchoRq,
      commandDataSetType: NO_DATA_SET,
      messageId: 7,
      affectedSopClassUid: '1.2.840.10008.1.1',
    });
    // (0000,0000) UL length 4
    expect(encoded.readUInt32LE(0)).toBe(0);
    expect(encoded.readUInt32LE(4)).toBe(4);
    expect(encoded.readUInt32LE(8)).toBe(encoded.length - 12);
    // (0000,0002) UI "1.2.840.10008.1.1" is 17 chars, padded with NUL to 18
    expect(encoded.readUInt16LE(14)).toBe(0x0002);
    expect(encoded.readUInt32LE(16)).toBe(18);
    expect(encoded.readUInt8(20 + 17)).toBe(0);
    expect(decodeCommandSet(encoded)).toEqual({
      commandField: 0x30,
      commandDataSetType: 0x0101,
      messageId: 7,
      affectedSopClassUid: '1.2.840.10008.1.1',
    });
  });

  it('rejects a command without CommandField', () => {
    const bad = encodeCommandSet({ commandField: 1, commandDataSetType: 1 }).subarray(0, 12);
    expect(() => decodeCommandSet(bad)).toThrow(ProtocolError);
  });
});

describe('MessageAssembler', () => {
  it('joins fragmented command and data set into one message', () => {
    const command = encodeCommandSet({
      commandField: CommandField.CFindRsp,
      commandDataSetType: 0,
      status: 0xff00,
    });
    const assembler = new MessageAssembler();
    expect(
      assembler.push({
        contextId: 3,
        isCommand: true,
        isLast: false,
        data: command.subarray(0, 10),
      }),
    ).toBeUndefined();
    expect(
      assembler.push({ contextId: 3, isCommand: true, isLast: true, data: command.subarray(10) }),
    ).toBeUndefined();
    expect(
      assembler.push({ contextId: 3, isCommand: false, isLast: false, data: Buffer.from('ab') }),
    ).toBeUndefined();
    const message = assembler.push({
      contextId: 3,
      isCommand: false,
      isLast: true,
      data: Buffer.from('cd'),
    });
    expect(message?.command.status).toBe(0xff00);
    expect(message?.dataSet?.toString()).toBe('abcd');
  });

  it('refuses a data fragment no command announced', () => {
    expect(() =>
      new MessageAssembler().push({
        contextId: 1,
        isCommand: false,
        isLast: true,
        data: Buffer.alloc(2),
      }),
    ).toThrow(ProtocolError);
  });
});
