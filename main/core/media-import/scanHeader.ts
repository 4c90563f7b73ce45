/**
 * Reads the header of a Part-10 file (PS3.10 7.1) up to, never into, the Pixel Data element
 * (7FE0,0010), and lists the top-level elements with their byte spans, so that browsing reads no
 * pixel data and reconciliation can rewrite the header while copying the rest byte for byte.
 * Every length is checked against the file's size first: a truncated, garbled or absurd file is
 * refused with a MediaFileError naming the problem, never a crash or a huge allocation.
 */
import type { SourceFile } from './coerceFiles';
import {
  NeedMoreData,
  readHeader,
  UNDEFINED_LENGTH,
  type VrEncoding,
} from '../dimse/convertSyntax';
import { ProtocolError } from '../dimse/errors';
import { sizeOf } from '../dimse/readOnlyFile';
import { MediaFileError } from './types';

export interface TopLevelElement {
  readonly tag: number;
  readonly vr: string;
  /** Offset of the element's tag in the file. */
  readonly start: number;
  readonly valueStart: number;
  /** Offset just after the element (after its sequence delimiter for undefined length). */
  readonly end: number;
  readonly undefinedLength: boolean;
}

export interface ScannedHeader {
  readonly transferSyntaxUid: string;
  /** SOP Class UID (0008,0016) of the data set; the meta group's (0002,0002) is the same. */
  readonly sopClassUid: string;
  /** SOP Instance UID (0008,0018) of the data set; the meta group's (0002,0003) is the same. */
  readonly sopInstanceUid: string;
  readonly encoding: VrEncoding;
  /** Offset of the first data set element (just after group 0002). */
  readonly dataSetOffset: number;
  /** The file's bytes from 0 up to pixelDataOffset (or to the end when there is no pixel data). */
  readonly bytes: Buffer;
  /** Data set elements before Pixel Data, in file order. */
  readonly elements: readonly TopLevelElement[];
  /** Offset of the (7FE0,0010) tag, or undefined when the file has none. */
  readonly pixelDataOffset: number | undefined;
  readonly fileSize: number;
}

/** PS3.5 A.4 / A.5: syntaxes whose data set is not little-endian or is compressed as a whole. */
const UNSUPPORTED_SYNTAXES: ReadonlyMap<string, string> = new Map([
  ['1.2.840.10008.1.2.2', 'Explicit VR Big Endian (retired)'],
  ['1.2.840.10008.1.2.1.99', 'Deflated Explicit VR Little Endian'],
]);
const IMPLICIT_LE = '1.2.840.10008.1.2';
const PIXEL_DATA = 0x7fe00010;
const SOP_CLASS_UID = 0x00080016;
const SOP_INSTANCE_UID = 0x00080018;
const ITEM = 0xfffee000;
const ITEM_DELIMITER = 0xfffee00d;
const SEQUENCE_DELIMITER = 0xfffee0dd;
/** Most headers are a few KiB; a bigger one is read again, 4× larger, so little pixel data is read. */
const FIRST_READ = 64 * 1024;
/** A header larger than this is taken as garbage rather than read into memory. */
export const MAX_HEADER_BYTES = 64 * 1024 * 1024;
const MAX_DEPTH = 32;

/** An open file (a FileHandle, or coerceFiles.ts's synchronous one). */
type ReadableFile = Pick<SourceFile, 'fd' | 'read'>;

const tagOf = (group: number, element: number): number => ((group << 16) | element) >>> 0;
const hex = (t: number): string =>
  `(${(t >>> 16).toString(16).padStart(4, '0')},${(t & 0xffff).toString(16).padStart(4, '0')})`;

/** True when the 4 bytes at offset 128 are "DICM" (PS3.10 7.1). Reads 132 bytes at most. */
export async function hasDicmPreamble(handle: ReadableFile): Promise<boolean> {
  const head = Buffer.alloc(132);
  const { bytesRead } = await handle.read(head, 0, 132, 0);
  return bytesRead === 132 && head.toString('latin1', 128, 132) === 'DICM';
}

/** Scans an open file. Throws MediaFileError with the reason when it cannot be read safely. */
export async function scanHeader(handle: ReadableFile): Promise<ScannedHeader> {
  const size = sizeOf(handle.fd); // no thread-pool round trip: see core/dimse/readOnlyFile.ts
  return (await scanFrom(handle, size, Buffer.allocUnsafe(Math.min(size, FIRST_READ)))).header;
}

/**
 * scanHeader for a copy (coerceInstance): the first read fills as much of `buffer` as the file
 * has, so a file that fits is read once; `read` is the file's bytes from offset 0 as read, for
 * the caller to copy on from rather than read the start of the pixel data again. `read` is
 * `buffer`'s start, or a buffer of its own when the header did not fit in `buffer`.
 */
export async function scanHeaderInto(
  handle: ReadableFile,
  buffer: Buffer,
): Promise<{ header: ScannedHeader; read: Buffer }> {
  const size = sizeOf(handle.fd); // no thread-pool round trip: see core/dimse/readOnlyFile.ts
  return scanFrom(handle, size, buffer.subarray(0, Math.min(size, buffer.length)));
}

/** Reads into `first` (as much as it holds), then 4× more each time the header goes on. */
async function scanFrom(
  handle: ReadableFile,
  size: number,
  first: Buffer,
): Promise<{ header: ScannedHeader; read: Buffer }> {
  let buffer = first;
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead < buffer.length) throw new MediaFileError('file shrank while being read');
    // Checked on the first read itself: a separate 132-byte read cost one more round trip.
    if (size < 132 || buffer.toString('latin1', 128, 132) !== 'DICM')
      throw new MediaFileError('not a DICOM Part-10 file (no "DICM" after the 128-byte preamble)');
    const header = tryScan(buffer, size);
    if (header) return { header, read: buffer };
    const wanted = buffer.length;
    if (wanted >= size) throw new MediaFileError('file is truncated inside its header');
    if (wanted >= MAX_HEADER_BYTES)
      throw new MediaFileError(`header larger than ${MAX_HEADER_BYTES} bytes`);
    buffer = Buffer.allocUnsafe(Math.min(size, wanted * 4, MAX_HEADER_BYTES));
  }
}

/** undefined: the buffer holds too little of the file to finish. */
function tryScan(buffer: Buffer, fileSize: number): ScannedHeader | undefined {
  try {
    const meta = readMetaGroup(buffer);
    const unsupported = UNSUPPORTED_SYNTAXES.get(meta.transferSyntaxUid);
    if (unsupported) throw new MediaFileError(`transfer syntax ${unsupported} is not supported`);
    const encoding: VrEncoding = meta.transferSyntaxUid === IMPLICIT_LE ? 'implicit' : 'explicit';
    const walk = walkTopLevel(buffer, meta.dataSetOffset, fileSize, encoding);
    const end = walk.pixelDataOffset ?? fileSize;
    return {
      ...meta,
      ...dataSetUids(buffer, walk.elements, meta),
      encoding,
      elements: walk.elements,
      pixelDataOffset: walk.pixelDataOffset,
      bytes: Buffer.from(buffer.subarray(0, end)),
      fileSize,
    };
  } catch (error) {
    if (error instanceof NeedMoreData) return undefined;
    if (error instanceof MediaFileError) throw error;
    if (error instanceof ProtocolError || error instanceof RangeError)
      throw new MediaFileError(`garbled header: ${error.message}`);
    throw error;
  }
}

/**
 * The file meta information (group 0002, PS3.10 7.1) of a Part-10 file's first bytes, which must
 * include the "DICM" prefix: its UIDs and where the data set starts. Throws NeedMoreData when
 * `buffer` ends inside it, MediaFileError when a UID is missing.
 */
export function readMetaGroup(buffer: Buffer) {
  const values = new Map<number, string>();
  let offset = 132;
  while (offset + 8 <= buffer.length && buffer.readUInt16LE(offset) === 0x0002) {
    const header = readHeader(buffer, offset, 'explicit');
    const valueStart = offset + header.headerLength;
    if (valueStart + header.length > buffer.length) throw new NeedMoreData();
    if (header.vr === 'UI')
      values.set(
        header.element,
        buffer.toString('latin1', valueStart, valueStart + header.length).replace(/[\0 ]+$/, ''),
      );
    offset = valueStart + header.length;
  }
  if (offset + 8 > buffer.length) throw new NeedMoreData();
  const sopClassUid = values.get(0x0002);
  const sopInstanceUid = values.get(0x0003);
  const transferSyntaxUid = values.get(0x0010);
  if (!sopClassUid || !sopInstanceUid || !transferSyntaxUid)
    throw new MediaFileError('file meta information lacks the SOP class, instance or syntax UID');
  return { sopClassUid, sopInstanceUid, transferSyntaxUid, dataSetOffset: offset };
}

/**
 * The SOP Class and Instance UIDs of the data set (PS3.3 C.12.1), which must be the meta group's
 * (PS3.10 7.1). An archive files an instance under its data set's (0008,0018): a file whose meta
 * group names another instance would be taken for one image and stored over another (a disc's
 * IM1 replaced by a file whose meta group said it was new). Read from the header bytes in hand.
 */
function dataSetUids(
  buffer: Buffer,
  elements: readonly TopLevelElement[],
  meta: { readonly sopClassUid: string; readonly sopInstanceUid: string },
): { sopClassUid: string; sopInstanceUid: string } {
  const uid = (tag: number): string | undefined => {
    // Elements are in ascending tag order and (0008,0016/0018) come within the first few.
    for (const element of elements) {
      if (element.tag > tag) return undefined;
      if (element.tag === tag && !element.undefinedLength)
        return buffer.toString('latin1', element.valueStart, element.end).replace(/[\0 ]+$/, '');
    }
    return undefined;
  };
  const sopClassUid = agreeing(
    'SOP Class UID',
    '(0008,0016)',
    meta.sopClassUid,
    uid(SOP_CLASS_UID),
  );
  const sopInstanceUid = agreeing(
    'SOP Instance UID',
    '(0008,0018)',
    meta.sopInstanceUid,
    uid(SOP_INSTANCE_UID),
  );
  return { sopClassUid, sopInstanceUid };
}

function agreeing(
  name: string,
  tag: string,
  inMeta: string,
  inDataSet: string | undefined,
): string {
  if (!inDataSet) throw new MediaFileError(`data set lacks its ${name} ${tag}; not imported`);
  if (inDataSet !== inMeta)
    throw new MediaFileError(
      `${name}: meta group says ${inMeta}, data set ${tag} says ${inDataSet}; not imported`,
    );
  return inDataSet;
}

function walkTopLevel(buffer: Buffer, start: number, fileSize: number, encoding: VrEncoding) {
  const elements: TopLevelElement[] = [];
  let offset = start;
  let previous = -1;
  while (offset < fileSize) {
    if (offset + 8 > fileSize) throw new MediaFileError('file is truncated inside an element');
    const header = readHeader(buffer, offset, encoding);
    const tag = tagOf(header.group, header.element);
    if (tag === PIXEL_DATA) {
      checkPixelData(buffer, offset + header.headerLength, header.length, fileSize);
      return { elements, pixelDataOffset: offset };
    }
    // PS3.5 7.1: data elements are in ascending tag order; anything else is garbage.
    if (tag <= previous || header.group === 0xfffe)
      throw new MediaFileError(`garbled header: tag ${hex(tag)} out of order at byte ${offset}`);
    previous = tag;
    const valueStart = offset + header.headerLength;
    const undefinedLength = header.length === UNDEFINED_LENGTH;
    const end = undefinedLength
      ? skipSequence(buffer, valueStart, fileSize, contentEncoding(header.vr, encoding), 0)
      : checkedEnd(buffer, valueStart, header.length, fileSize, tag);
    elements.push({ tag, vr: header.vr, start: offset, valueStart, end, undefinedLength });
    offset = end;
  }
  return { elements, pixelDataOffset: undefined };
}

/**
 * The Pixel Data value is not read, but its length must be possible: a defined length fits in
 * what is left of the file, and an undefined one (encapsulated, PS3.5 A.4) starts with an item,
 * the Basic Offset Table. Otherwise the file is cut short or garbled, and a copy would carry the
 * damage on to the archive (a length of 0xFFFFFFF0 over 4 bytes was imported as it was).
 */
function checkPixelData(buffer: Buffer, valueStart: number, length: number, fileSize: number) {
  const left = Math.max(0, fileSize - valueStart);
  if (length !== UNDEFINED_LENGTH) {
    if (length > left)
      throw new MediaFileError(
        `Pixel Data (7FE0,0010) claims ${length} bytes but only ${left} remain (truncated or corrupt)`,
      );
    return;
  }
  if (left < 8)
    throw new MediaFileError('file is truncated inside its Pixel Data (7FE0,0010) (no item)');
  if (valueStart + 4 > buffer.length) throw new NeedMoreData();
  const first = tagOf(buffer.readUInt16LE(valueStart), buffer.readUInt16LE(valueStart + 2));
  if (first !== ITEM)
    throw new MediaFileError(
      `garbled Pixel Data (7FE0,0010): undefined length but ${hex(first)} where an item (FFFE,E000) was`,
    );
}

function checkedEnd(
  buffer: Buffer,
  valueStart: number,
  length: number,
  fileSize: number,
  tag: number,
): number {
  const end = valueStart + length;
  if (end > fileSize)
    throw new MediaFileError(
      `element ${hex(tag)} claims ${length} bytes but only ${fileSize - valueStart} remain (truncated or corrupt)`,
    );
  if (end > buffer.length) throw new NeedMoreData();
  return end;
}

/**
 * How the items of an undefined-length value are encoded: an explicit UN of undefined length holds
 * an Implicit VR Little Endian sequence (PS3.5 6.2.2), whatever the file's syntax; private
 * sequences of unknown VR are often written so.
 */
export const contentEncoding = (vr: string, encoding: VrEncoding): VrEncoding =>
  vr === 'UN' ? 'implicit' : encoding;

/**
 * Skips the items of an undefined-length sequence (PS3.5 7.5); returns the offset after it.
 * Throws MediaFileError when it runs past `fileSize` or nests deeper than 32 levels, NeedMoreData
 * when it runs past `buffer` (pass the whole file's bytes, and `fileSize` = their length, to have
 * only MediaFileError).
 */
export function skipSequence(
  buffer: Buffer,
  start: number,
  fileSize: number,
  encoding: VrEncoding,
  depth: number,
): number {
  if (depth > MAX_DEPTH) throw new MediaFileError('sequences nested too deeply');
  let offset = start;
  for (;;) {
    if (offset + 8 > fileSize) throw new MediaFileError('file is truncated inside a sequence');
    if (offset + 8 > buffer.length) throw new NeedMoreData();
    const tag = tagOf(buffer.readUInt16LE(offset), buffer.readUInt16LE(offset + 2));
    const length = buffer.readUInt32LE(offset + 4);
    if (tag === SEQUENCE_DELIMITER) return offset + 8;
    if (tag !== ITEM) throw new MediaFileError(`garbled sequence: ${hex(tag)} where an item was`);
    offset =
      length === UNDEFINED_LENGTH
        ? skipItem(buffer, offset + 8, fileSize, encoding, depth)
        : checkedEnd(buffer, offset + 8, length, fileSize, tag);
  }
}

function skipItem(
  buffer: Buffer,
  start: number,
  fileSize: number,
  encoding: VrEncoding,
  depth: number,
): number {
  let offset = start;
  for (;;) {
    if (offset + 8 > fileSize) throw new MediaFileError('file is truncated inside an item');
    const header = readHeader(buffer, offset, encoding);
    const tag = tagOf(header.group, header.element);
    if (tag === ITEM_DELIMITER) return offset + 8;
    const valueStart = offset + header.headerLength;
    offset =
      header.length === UNDEFINED_LENGTH
        ? skipSequence(
            buffer,
            valueStart,
            fileSize,
            contentEncoding(header.vr, encoding),
            depth + 1,
          )
        : checkedEnd(buffer, valueStart, header.length, fileSize, tag);
  }
}
