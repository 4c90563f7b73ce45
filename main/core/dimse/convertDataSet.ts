/**
 * Streams a data set from a file while converting it between Explicit and Implicit VR Little
 * Endian. Sequences (small) are converted in memory; every other value is copied through in
 * chunks, so Pixel Data of any size never sits in memory whole.
 */
import type { BufferedFileReader } from './BufferedFileReader';
import {
  convertElement,
  isSequence,
  NeedMoreData,
  readHeader,
  UNDEFINED_LENGTH,
  writeHeader,
  type VrEncoding,
} from './convertSyntax';
import { ProtocolError } from './errors';

const FIRST_TRY = 64 * 1024;

export async function* convertDataSet(
  reader: BufferedFileReader,
  from: VrEncoding,
  to: VrEncoding,
  chunkSize: number,
): AsyncGenerator<Buffer> {
  while (reader.remaining > 0) {
    const head = await reader.peek(Math.min(12, reader.remaining));
    const header = readHeaderOrFail(head, from);
    if (isSequence(header) || header.group === 0xfffe) {
      yield* await convertWhole(reader, from, to);
      continue;
    }
    if (header.length === UNDEFINED_LENGTH)
      throw new ProtocolError('encapsulated data cannot change VR encoding');
    yield writeHeader(header.group, header.element, header.vr, header.length, to);
    reader.skip(header.headerLength);
    yield* reader.chunks(header.length, chunkSize);
  }
}

function readHeaderOrFail(head: Buffer, from: VrEncoding) {
  try {
    return readHeader(head, 0, from);
  } catch (error) {
    if (error instanceof NeedMoreData)
      throw new ProtocolError('data set ends inside an element header');
    throw error;
  }
}

/** Converts one sequence in memory, growing the window until the whole sequence fits. */
async function convertWhole(
  reader: BufferedFileReader,
  from: VrEncoding,
  to: VrEncoding,
): Promise<Buffer[]> {
  let size = Math.min(FIRST_TRY, reader.remaining);
  for (;;) {
    const slice = await reader.peek(size);
    try {
      const { out, next } = convertElement(slice, 0, from, to);
      reader.skip(next);
      return out;
    } catch (error) {
      if (!(error instanceof NeedMoreData)) throw error;
      if (size === reader.remaining) throw new ProtocolError('data set ends inside a sequence');
      size = Math.min(size * 2, reader.remaining);
    }
  }
}
