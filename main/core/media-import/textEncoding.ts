/**
 * Chooses how new text values (the local patient's name and IDs) are written into an outside file:
 * the file's Specific Character Set (0008,0005) is kept when it can carry the text, or set to
 * ISO_IR 192 (UTF-8) when the file used the default repertoire, which UTF-8 contains (PS3.5
 * 6.1.2.3, Annex H) — in both cases no other value changes. Otherwise the whole file's text goes
 * to UTF-8 (`convertFile`, convertCharset.ts), which can refuse; nothing is written garbled.
 */
import { rawValue, TAGS } from './readInstance';
import type { ScannedHeader } from './scanHeader';
import { isReadError, nonAsciiText, readErrorText, UTF8_CHARSET } from './convertCharset';
import { MediaFileError } from './types';

export interface TextEncoding {
  readonly encode: (text: string) => Buffer;
  /** A new (0008,0005) value to write, when the file's must change. */
  readonly newCharset?: string;
  /** The file's own text must be converted to UTF-8 first (convertCharset.ts). */
  readonly convertFile?: boolean;
}

/** Every UTF-16 unit below `limit`: 0x80 for the default repertoire, 0x100 for Latin-1. */
const within = (text: string, limit: number): boolean =>
  [...text].every((c) => c.charCodeAt(0) < limit);
const ascii = (text: string): Buffer => Buffer.from(text, 'latin1');

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

/**
 * A file that declares no set (or ISO_IR 6) may hold only the default repertoire (PS3.5 6.1.2.3),
 * yet outside discs often carry undeclared Latin-1 or other 8-bit text. Declaring ISO_IR 192 over
 * such bytes would mislabel them, and which set they are in cannot be known, so the file is
 * refused, naming the element, rather than guessed at. Text in an item that declares a set of its
 * own is in that set whatever the data set declares (PS3.5 7.5.3): it keeps its bytes and its
 * (0008,0005).
 */
function refuseUndeclaredBytes(header: ScannedHeader): void {
  let where: string | undefined;
  try {
    where = nonAsciiText(header.bytes, header.dataSetOffset, header.bytes.length, header.encoding);
  } catch (error) {
    if (!isReadError(error)) throw error;
    throw new MediaFileError(
      `the file declares no character set (0008,0005), and its text cannot be checked for bytes outside ASCII before UTF-8 is declared for the local patient's name: ${readErrorText(error)}`,
    );
  }
  if (where !== undefined)
    throw new MediaFileError(
      `the file declares no character set (0008,0005) but ${where} holds bytes outside ASCII, in a set that cannot be known; the local patient's name needs UTF-8, which cannot be declared over them`,
    );
}

/**
 * How `texts` go into the file `header` describes. Throws MediaFileError when they need a new
 * character set and the file holds undeclared 8-bit text.
 */
export function textEncodingFor(header: ScannedHeader, texts: readonly string[]): TextEncoding {
  const raw = rawValue(header, TAGS.SpecificCharacterSet)?.toString('latin1') ?? '';
  const terms = raw.split('\\').map((t) => t.trim());
  const first = terms[0] ?? '';
  const allAscii = texts.every((t) => within(t, 0x80));
  if (first === UTF8_CHARSET) return { encode: utf8 };
  if (allAscii) return { encode: ascii };
  if ((first === '' || first === 'ISO_IR 6') && terms.length <= 1) {
    refuseUndeclaredBytes(header);
    return { encode: utf8, newCharset: UTF8_CHARSET };
  }
  if (first === 'ISO_IR 100' && terms.length === 1 && texts.every((t) => within(t, 0x100)))
    return { encode: (t) => Buffer.from(t, 'latin1') };
  return { encode: utf8, newCharset: UTF8_CHARSET, convertFile: true };
}
