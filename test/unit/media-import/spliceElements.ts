/**
 * Edits a Part-10 file's top-level data set elements as bytes, for fixtures that DCMTK and
 * buildPart10 do not write: sequences encoded as UN (PS3.5 6.2.2), undeclared 8-bit text, data
 * after the Pixel Data, a value overwritten in place; and scans such bytes as a file. Shared by the
 * unit and integration tests of coercion and of reading a medium.
 */
import {
  convertElement,
  readHeader,
  type VrEncoding,
} from '../../../main/core/dimse/convertSyntax';
import { readMetaGroup, scanHeader } from '../../../main/core/media-import/scanHeader';
import { writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';

const PIXEL_DATA = 0x7fe00010;

const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
};
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};
const tagBytes = (t: number) => Buffer.concat([u16(t >>> 16), u16(t & 0xffff)]);

/** An Implicit VR element (tag, 32-bit length, value). */
export const implicitElement = (t: number, value: Buffer): Buffer =>
  Buffer.concat([tagBytes(t), u32(value.length), value]);

/** An item (FFFE,E000) of defined length, or of undefined length with its delimiter. */
export function item(content: Buffer, undefinedLength = false): Buffer {
  if (!undefinedLength)
    return Buffer.concat([u16(0xfffe), u16(0xe000), u32(content.length), content]);
  return Buffer.concat([
    u16(0xfffe),
    u16(0xe000),
    u32(0xffffffff),
    content,
    u16(0xfffe),
    u16(0xe00d),
    u32(0),
  ]);
}

/**
 * An Explicit VR UN element holding `items` (Implicit VR inside, PS3.5 6.2.2): of undefined length
 * with a sequence delimiter, or of defined length.
 */
export function unSequence(t: number, items: Buffer, undefinedLength = true): Buffer {
  const body = undefinedLength ? Buffer.concat([items, u16(0xfffe), u16(0xe0dd), u32(0)]) : items;
  return Buffer.concat([
    tagBytes(t),
    Buffer.from('UN'),
    u16(0),
    u32(undefinedLength ? 0xffffffff : body.length),
    body,
  ]);
}

/**
 * `file` with top-level elements replaced (a tag in `changes` and in the file), inserted (in tag
 * order; after the Pixel Data, in order, for tags above it) or removed (`null`).
 */
export function spliceElements(
  file: Buffer,
  encoding: VrEncoding,
  changes: ReadonlyMap<number, Buffer | null>,
): Buffer {
  const pending = [...changes].sort((a, b) => a[0] - b[0]);
  const parts: Buffer[] = [];
  const flushBelow = (limit: number) => {
    while (pending.length > 0 && pending[0]![0] < limit) {
      const [, bytes] = pending.shift()!;
      if (bytes) parts.push(bytes);
    }
  };
  let offset = readMetaGroup(file).dataSetOffset;
  parts.push(file.subarray(0, offset));
  while (offset < file.length) {
    const header = readHeader(file, offset, encoding);
    const t = ((header.group << 16) | header.element) >>> 0;
    flushBelow(t);
    if (t === PIXEL_DATA) {
      parts.push(file.subarray(offset));
      break;
    }
    const { next } = convertElement(file, offset, encoding, encoding);
    if (pending[0]?.[0] === t) {
      const [, bytes] = pending.shift()!;
      if (bytes) parts.push(bytes);
    } else parts.push(file.subarray(offset, next));
    offset = next;
  }
  flushBelow(Infinity);
  return Buffer.concat(parts);
}

/** `bytes` with the first `from` at or after `after` overwritten by `to` (same length). */
export function patched(bytes: Buffer, from: string, to: string, after = 0): Buffer {
  const at = bytes.indexOf(Buffer.from(from, 'latin1'), after);
  if (at < 0 || from.length !== to.length) throw new Error(`cannot patch ${from}`);
  const copy = Buffer.from(bytes);
  copy.write(to, at, 'latin1');
  return copy;
}

/** scanHeader of `bytes`, written as `folder/name` first. */
export async function scanBytes(folder: string, name: string, bytes: Buffer) {
  const path = join(folder, name);
  writeFileSync(path, bytes);
  const handle = await open(path, 'r');
  try {
    return await scanHeader(handle);
  } finally {
    await handle.close();
  }
}
