import { describe, expect, it } from 'vitest';
import { convertElement, NeedMoreData } from '../../../main/core/dimse/convertSyntax';
import { ProtocolError } from '../../../main/core/dimse/errors';

const le16 = (n: number) => Buffer.from([n & 0xff, n >> 8]);
const le32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0, 0);
  return b;
};
const tag = (g: number, e: number) => Buffer.concat([le16(g), le16(e)]);
const explicitShort = (g: number, e: number, vr: string, value: Buffer) =>
  Buffer.concat([tag(g, e), Buffer.from(vr), le16(value.length), value]);
const explicitLong = (g: number, e: number, vr: string, value: Buffer, length = value.length) =>
  Buffer.concat([tag(g, e), Buffer.from(vr), Buffer.alloc(2), le32(length), value]);
const implicit = (g: number, e: number, value: Buffer, length = value.length) =>
  Buffer.concat([tag(g, e), le32(length), value]);
const item = (content: Buffer, length = content.length) =>
  Buffer.concat([tag(0xfffe, 0xe000), le32(length), content]);

function convertAll(
  buffer: Buffer,
  from: 'explicit' | 'implicit',
  to: 'explicit' | 'implicit',
): Buffer {
  const out: Buffer[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    const converted = convertElement(buffer, offset, from, to);
    out.push(...converted.out);
    offset = converted.next;
  }
  return Buffer.concat(out);
}

describe('PS3.5 7.1 Explicit ↔ Implicit VR Little Endian at byte level', () => {
  const name = Buffer.from('Doe^Jane');
  const uid = Buffer.from('1.2.3\0');
  const pixels = Buffer.from([1, 2, 3, 4]);

  it('rewrites headers, recomputes defined sequence and item lengths, keeps values', () => {
    const refInExplicit = explicitShort(0x0008, 0x1155, 'UI', uid);
    const explicitData = Buffer.concat([
      explicitShort(0x0010, 0x0010, 'PN', name),
      explicitLong(0x0008, 0x1110, 'SQ', item(refInExplicit), 8 + refInExplicit.length),
      explicitLong(0x7fe0, 0x0010, 'OW', pixels),
    ]);
    const refInImplicit = implicit(0x0008, 0x1155, uid);
    const implicitData = Buffer.concat([
      implicit(0x0010, 0x0010, name),
      implicit(0x0008, 0x1110, item(refInImplicit), 8 + refInImplicit.length),
      implicit(0x7fe0, 0x0010, pixels),
    ]);
    expect(convertAll(explicitData, 'explicit', 'implicit').equals(implicitData)).toBe(true);
    expect(convertAll(implicitData, 'implicit', 'explicit').equals(explicitData)).toBe(true);
  });

  it('keeps undefined-length sequences and items with their delimiters', () => {
    const undefinedLength = 0xffffffff;
    const delimiters = (e: number) => Buffer.concat([tag(0xfffe, e), le32(0)]);
    const inner = explicitShort(0x0008, 0x1155, 'UI', uid);
    const explicitData = explicitLong(
      0x0008,
      0x1110,
      'SQ',
      Buffer.concat([
        item(Buffer.concat([inner, delimiters(0xe00d)]), undefinedLength),
        delimiters(0xe0dd),
      ]),
      undefinedLength,
    );
    const converted = convertAll(explicitData, 'explicit', 'implicit');
    expect(converted.readUInt32LE(4)).toBe(undefinedLength);
    expect(convertAll(converted, 'implicit', 'explicit').equals(explicitData)).toBe(true);
  });

  it('turns unknown private tags into UN and over-long short values into UN (PS3.5 6.2.2)', () => {
    const privateData = implicit(0x0009, 0x1001, Buffer.from('ab'));
    expect(convertAll(privateData, 'implicit', 'explicit').toString('latin1', 4, 6)).toBe('UN');
  });

  it('asks for more data when the slice ends inside an element, refuses garbage', () => {
    const whole = explicitShort(0x0010, 0x0010, 'PN', name);
    expect(() => convertElement(whole.subarray(0, 10), 0, 'explicit', 'implicit')).toThrow(
      NeedMoreData,
    );
    expect(() =>
      convertElement(Buffer.from('\x10\x00\x10\x00zz\x02\x00ab'), 0, 'explicit', 'implicit'),
    ).toThrow(ProtocolError);
  });
});
