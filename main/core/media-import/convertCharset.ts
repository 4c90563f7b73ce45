/**
 * An outside file's text converted to UTF-8 (ISO_IR 192), for when the local patient's name
 * cannot be written in the file's own character set — a Polish or Turkish name on a Latin-1 disc,
 * a German one on a Greek or Japanese disc. (0008,0005) names one character set for the whole
 * data set (PS3.3 C.12.1.1.2), so the new name cannot be written in another: every text value
 * (SH, LO, ST, LT, UT, PN, UC; PS3.5 6.1.2.3) of the data set, sequence items included, is decoded
 * with the character set in force where it stands — the file's, or that of an item which declares
 * its own (0008,0005) for itself and its nested items (PS3.5 7.5.3) — and written again in UTF-8;
 * every (0008,0005), the items' too, becomes ISO_IR 192. The text is the same; only its bytes
 * change (issue 8: "the file's character set kept or converted correctly"), so nothing new goes
 * into the Original Attributes Sequence: it records values that were modified (PS3.3
 * C.12.1.1.9), and the file's own (0008,0005) change is not recorded there either.
 *
 * Refused with a MediaFileError naming the element (its tag path inside items) rather than
 * guessed at: a Defined Term this station cannot decode, in the file or in an item; a value whose
 * bytes are not valid in its character set; a value that would outgrow its VR's 16-bit length; an
 * item whose (0008,0005) follows text it would govern; elements that cannot be walked (undefined
 * length outside a sequence, lengths that disagree). Elements whose VR is not known (private
 * elements in Implicit VR, read as UN) are copied as they are: nothing says they are text.
 */
import {
  NeedMoreData,
  readHeader,
  UNDEFINED_LENGTH,
  type VrEncoding,
} from '../dimse/convertSyntax';
import { LONG_FORM_VRS } from '../dicom/explicitVrLengths';
import {
  decodeText,
  isKnownCharacterSetTerm,
  parseSpecificCharacterSet,
  TEXT_VRS,
  type SpecificCharacterSet,
} from '../dicom/charset';
import { ProtocolError } from '../dimse/errors';
import type { SourceFile } from './coerceFiles';
import { rawValue, TAGS } from './readInstance';
import type { ScannedHeader, TopLevelElement } from './scanHeader';
import { MediaFileError } from './types';
import { mapTextValues, tagText, type CharsetScope, type TextValueMap } from './mapTextValues';

export const UTF8_CHARSET = 'ISO_IR 192';
const UTF8_TERM = Buffer.from(UTF8_CHARSET, 'latin1'); // even length: no padding
const SPACE = Buffer.from(' ');
const ESC = 0x1b;

/** Errors that mean the bytes are not whole, sound data elements. */
export const isReadError = (error: unknown): error is Error =>
  error instanceof ProtocolError || error instanceof NeedMoreData || error instanceof RangeError;
/** A read error in words (NeedMoreData carries no message of its own). */
export const readErrorText = (error: Error): string =>
  error instanceof NeedMoreData ? 'an element runs past its end' : error.message;
/** A read error's reason, after the top-level element's tag unless it names a path already. */
const readErrorAt = (tag: string, error: Error): string => {
  const reason = readErrorText(error);
  return reason.startsWith(tag) ? reason : `${tag}: ${reason}`;
};

/**
 * The header as it reads in UTF-8: `bytes` (meta group as read, then the converted data set) and
 * `elements` describe the converted data set, while `pixelDataOffset` and `fileSize` still
 * describe the source file, whose rest the coercion copies from there. Throws MediaFileError
 * naming the element (its tag path inside items) when the text cannot be converted faithfully.
 */
export function convertedToUtf8(header: ScannedHeader): ScannedHeader {
  const declared = rawValue(header, TAGS.SpecificCharacterSet)?.toString('latin1') ?? '';
  const scope: CharsetScope = {
    charset: parseSpecificCharacterSet(declared),
    declared: declared.trim(),
    inItem: false,
  };
  const refuse = (reason: string) =>
    new MediaFileError(
      `the local patient's name cannot be written in the file's character set "${scope.declared}", and its text cannot be converted to UTF-8: ${reason}`,
    );
  const unknown = unknownTerm(scope.charset);
  if (unknown !== undefined) throw refuse(`"${unknown}" is not a character set this station reads`);
  const mapValue = toUtf8(refuse);
  const parts: Buffer[] = [header.bytes.subarray(0, header.dataSetOffset)];
  const elements: TopLevelElement[] = [];
  let at = header.dataSetOffset;
  for (const element of header.elements) {
    let out: Buffer[];
    try {
      ({ out } = mapTextValues(header.bytes, element.start, header.encoding, scope, mapValue));
    } catch (error) {
      if (isReadError(error)) throw refuse(readErrorAt(tagName(element.tag), error));
      throw error;
    }
    const length = out.reduce((sum, part) => sum + part.length, 0);
    // mapTextValues's first part is always the element's own header.
    elements.push({
      ...element,
      start: at,
      valueStart: at + (out[0]?.length ?? 0),
      end: at + length,
    });
    parts.push(...out);
    at += length;
  }
  return { ...header, bytes: Buffer.concat(parts), elements };
}

const tagName = (t: number): string => tagText({ group: t >>> 16, element: t & 0xffff });

const unknownTerm = (charset: SpecificCharacterSet): string | undefined =>
  charset.terms.find((term) => !isKnownCharacterSetTerm(term));

/** Bytes that read the same in every supported set and in UTF-8: ASCII, no ISO 2022 escape. */
function isPlainAscii(value: Buffer): boolean {
  for (const byte of value) if (byte >= 0x80 || byte === ESC) return false;
  return true;
}

/** The default repertoire (PS3.5 6.1.2.2): no byte above 0x7F is valid in it. */
const isDefaultRepertoire = ({ terms, codeExtensions }: SpecificCharacterSet): boolean =>
  !codeExtensions && terms.length === 1 && (terms[0] === '' || terms[0] === 'ISO_IR 6');

/** The data set's scope for walks that only look at values (the set itself is not used). */
const DATA_SET_SCOPE: CharsetScope = {
  charset: parseSpecificCharacterSet(''),
  declared: '',
  inItem: false,
};

/**
 * Where the elements in `bytes` from `start` to `end` (sequence items included) first hold text
 * (SH, LO, ST, LT, UT, PN, UC) that is not plain ASCII and that is read in the data set's
 * character set, as a tag path ("(GGGG,EEEE)", "(GGGG,EEEE)[1].(GGGG,EEEE)"); undefined when
 * every such value reads the same in any set and in UTF-8. Values inside an item that declares a
 * character set of its own are read in that set whatever the data set declares (PS3.5 7.5.3), so
 * they are not counted; values of unknown VR (UN) are not looked into, as in the conversion.
 * Throws ProtocolError or NeedMoreData when the bytes are not whole elements.
 */
export function nonAsciiText(
  bytes: Buffer,
  start: number,
  end: number,
  encoding: VrEncoding,
): string | undefined {
  let found: string | undefined;
  const look: TextValueMap = (value, { header, scope, path }) => {
    if (found === undefined && !scope.inItem && TEXT_VRS.has(header.vr) && !isPlainAscii(value))
      found = path;
    return value;
  };
  for (let offset = start; offset < end && found === undefined;)
    offset = mapTextValues(bytes, offset, encoding, DATA_SET_SCOPE, look).next;
  return found;
}

/**
 * Each text value decoded with the set in force where it stands (the data set's, or its item's:
 * PS3.5 7.5.3) and written in UTF-8; every (0008,0005), the items' too, becomes ISO_IR 192, so an
 * item keeps its declaration and the structure stays as read. Other values keep their bytes.
 */
function toUtf8(refuse: (reason: string) => Error): TextValueMap {
  return (value, { header, scope, path }) => {
    if (header.group === 0x0008 && header.element === 0x0005) {
      const unknown = unknownTerm(scope.charset);
      if (unknown !== undefined)
        throw refuse(`${path} declares "${unknown}", not a character set this station reads`);
      return UTF8_TERM;
    }
    if (!TEXT_VRS.has(header.vr) || isPlainAscii(value)) return value;
    const text = decodeText(value, scope.charset, header.vr);
    if (text.includes('\uFFFD') || isDefaultRepertoire(scope.charset))
      throw refuse(
        `${path} holds bytes that are not valid in ${scope.inItem ? `its item's character set "${scope.declared}"` : 'that character set'}`,
      );
    // Trailing spaces are padding (PS3.5 6.2): trimmed, then one added back if the length is odd.
    const utf8 = Buffer.from(text.replace(/ +$/, ''), 'utf8');
    const padded = utf8.length % 2 ? Buffer.concat([utf8, SPACE]) : utf8;
    if (!LONG_FORM_VRS.has(header.vr) && padded.length > 0xffff)
      throw refuse(`${path} would be longer than its VR ${header.vr} allows`);
    return padded;
  };
}

/** Bytes after the pixel data larger than this are refused rather than read to look for text. */
const MAX_TRAILING_BYTES = 64 * 1024 * 1024;
const ITEM = 0xfffee000;
const SEQUENCE_DELIMITER = 0xfffee0dd;

async function readAt(file: Pick<SourceFile, 'read'>, length: number, position: number) {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  if (bytesRead < length) throw new MediaFileError('file shrank while being read');
  return buffer;
}

/** Offset just after the Pixel Data element at `start` (fragments walked when encapsulated). */
async function pixelDataEnd(
  file: Pick<SourceFile, 'read'>,
  header: ScannedHeader,
  start: number,
): Promise<number> {
  const pixel = readHeader(
    await readAt(file, Math.min(12, header.fileSize - start), start),
    0,
    header.encoding,
  );
  let offset = start + pixel.headerLength;
  if (pixel.length !== UNDEFINED_LENGTH) return offset + pixel.length;
  // PS3.5 A.4: encapsulated fragments are items of defined length, then a sequence delimiter.
  while (offset + 8 <= header.fileSize) {
    const item = await readAt(file, 8, offset);
    const tag = ((item.readUInt16LE(0) << 16) | item.readUInt16LE(2)) >>> 0;
    const length = item.readUInt32LE(4);
    if (tag === SEQUENCE_DELIMITER) return offset + 8;
    if (tag !== ITEM || length === UNDEFINED_LENGTH)
      throw new ProtocolError(`encapsulated pixel data holds something other than items`);
    offset += 8 + length;
  }
  return header.fileSize;
}

/**
 * For a coercion that gives the file a new Specific Character Set (0008,0005): everything after
 * Pixel Data (7FE0,0010) is copied as read, so its text would then be read in the new set. Resolves
 * when there is nothing there, or when no text value there (items included) holds anything but
 * plain ASCII, which reads the same in every set; otherwise throws MediaFileError naming the
 * element — also when those bytes cannot be read as data elements, since then nothing shows that
 * they hold no text.
 */
export async function assertNoTextAfterPixelData(
  file: Pick<SourceFile, 'read'>,
  header: ScannedHeader,
): Promise<void> {
  const start = header.pixelDataOffset;
  if (start === undefined) return;
  const refuse = (reason: string) =>
    new MediaFileError(
      `the local patient's name needs a new character set (0008,0005), but the data after the pixel data is copied as read and ${reason}`,
    );
  try {
    const end = await pixelDataEnd(file, header, start);
    if (end >= header.fileSize) return;
    const length = header.fileSize - end;
    if (length > MAX_TRAILING_BYTES) throw refuse(`is too large (${length} bytes) to check`);
    const where = nonAsciiText(await readAt(file, length, end), 0, length, header.encoding);
    if (where !== undefined) throw refuse(`${where} there holds text outside ASCII`);
  } catch (error) {
    if (isReadError(error))
      throw refuse(`cannot be read as data elements, so it may hold text: ${readErrorText(error)}`);
    throw error;
  }
}
