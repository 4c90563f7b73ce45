import { describe, expect, it } from 'vitest';
import {
  decodePersonName,
  decodeText,
  parseSpecificCharacterSet,
} from '../../../main/core/dicom/charset';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const charset = parseSpecificCharacterSet;

describe('single-byte and whole-value character sets', () => {
  it('ISO_IR 100 (Latin-1), including bytes WHATWG would read as windows-1252', () => {
    expect(decodeText(Buffer.from('Müller^Jürgen', 'latin1'), charset('ISO_IR 100'), 'PN')).toBe(
      'Müller^Jürgen',
    );
    expect(decodeText(Buffer.from([0x80]), charset('ISO_IR 100'), 'LO')).toBe('\u0080');
  });

  it('ISO_IR 144 (Cyrillic) and ISO_IR 126 (Greek)', () => {
    // PS3.5 H-style examples: "Люкceмбypг" and "Διονυσιος"
    expect(decodeText(hex('bb ee da 63 65 dc d1 79 70 d3'), charset('ISO_IR 144'), 'PN')).toBe(
      'Люкceмбypг',
    );
    expect(decodeText(hex('c4 e9 ef ed f5 f3 e9 ef f2'), charset('ISO_IR 126'), 'PN')).toBe(
      'Διονυσιος',
    );
  });

  it('ISO_IR 192 (UTF-8) and GB18030 (PS3.5 J.3)', () => {
    expect(decodeText(Buffer.from('Wang^XiaoDong=王^小東='), charset('ISO_IR 192'), 'PN')).toBe(
      'Wang^XiaoDong=王^小東=',
    );
    const gb = Buffer.concat([
      Buffer.from('Wang^XiaoDong='),
      hex('cd f5 5e d0 a1 b6 ab'),
      Buffer.from('='),
    ]);
    expect(decodeText(gb, charset('GB18030'), 'PN')).toBe('Wang^XiaoDong=王^小东=');
  });

  it('leaves non-text VRs in the default repertoire', () => {
    expect(decodeText(Buffer.from('1.2.3\0'), charset('ISO_IR 192'), 'UI')).toBe('1.2.3\0');
  });
});

describe('ISO 2022 code extensions', () => {
  it('ISO 2022 IR 87: PS3.5 H.3.1 Yamada Tarou', () => {
    const bytes = Buffer.from(
      'Yamada^Tarou=\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B=\x1b$B$d$^$@\x1b(B^\x1b$B$?$m$&\x1b(B',
      'latin1',
    );
    expect(decodePersonName(bytes, charset('\\ISO 2022 IR 87'))).toEqual({
      alphabetic: 'Yamada^Tarou',
      ideographic: '山田^太郎',
      phonetic: 'やまだ^たろう',
    });
  });

  it('ISO 2022 IR 13 with IR 87: PS3.5 H.3.2 half-width katakana plus kanji', () => {
    const bytes = hex(
      'd4 cf c0 de 5e c0 db b3 3d 1b 24 42 3b 33 45 44 1b 28 4a 5e 1b 24 42 42 40 4f 3a 1b 28 4a 3d' +
        '1b 24 42 24 64 24 5e 24 40 1b 28 4a 5e 1b 24 42 24 3f 24 6d 24 26 1b 28 4a',
    );
    expect(decodePersonName(bytes, charset('ISO 2022 IR 13\\ISO 2022 IR 87'))).toEqual({
      alphabetic: 'ﾔﾏﾀﾞ^ﾀﾛｳ',
      ideographic: '山田^太郎',
      phonetic: 'やまだ^たろう',
    });
  });

  it('ISO 2022 IR 149: PS3.5 I.2 Hong Gildong', () => {
    const bytes = hex(
      '48 6f 6e 67 5e 47 69 6c 64 6f 6e 67 3d 1b 24 29 43 fb f3 5e 1b 24 29 43 d1 ce d4 d7 3d' +
        '1b 24 29 43 c8 ab 5e 1b 24 29 43 b1 e6 b5 bf',
    );
    expect(decodeText(bytes, charset('\\ISO 2022 IR 149'), 'PN')).toBe(
      'Hong^Gildong=洪^吉洞=홍^길동',
    );
  });

  it('ISO 2022 IR 144 designated by escape, initial sets again after each value delimiter', () => {
    const cyrillic = hex('bb ee da 63 65 dc d1 79 70 d3');
    const bytes = Buffer.concat([hex('1b 2d 4c'), cyrillic, Buffer.from('\\'), cyrillic]);
    const [first, second] = decodeText(
      bytes,
      charset('ISO 2022 IR 6\\ISO 2022 IR 144'),
      'LO',
    ).split('\\');
    expect(first).toBe('Люкceмбypг');
    // No escape after '\\': the second value is back in ISO 2022 IR 6, so the high bytes are not Cyrillic.
    expect(second).not.toBe('Люкceмбypг');
  });

  it('a "^" or "=" byte inside a two-byte JIS character is not a delimiter', () => {
    // 0x3D 0x5E is a kanji (JIS X 0208 row 29): it must not split the name.
    const bytes = Buffer.from('\x1b$B=^\x1b(B', 'latin1');
    const decoded = decodeText(bytes, charset('\\ISO 2022 IR 87'), 'PN');
    expect(decoded).toHaveLength(1);
    expect(decoded).not.toMatch(/[=^]/);
  });
});
