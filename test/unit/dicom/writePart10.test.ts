import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dcmjs from 'dcmjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writePart10, type InstancePlan } from '../../../main/core/dicom/part10/writePart10';
import {
  IMPLEMENTATION_CLASS_UID,
  SopClassUid,
  TransferSyntaxUid,
  newUid,
} from '../../../main/core/dicom/uids';
import { KERNEL_COPY_MIN_BYTES } from '../../../main/core/fs/kernelCopy';

const { DicomMessage, DicomMetaDictionary } = dcmjs.data;

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'part10-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function toArrayBuffer(buffer: Buffer): ArrayBuffer {
  return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.length) as ArrayBuffer;
}

function plan(file: string, length: number): InstancePlan {
  return {
    sopClassUid: SopClassUid.VLPhotographicImageStorage,
    sopInstanceUid: newUid(),
    transferSyntaxUid: TransferSyntaxUid.JPEGBaseline8Bit,
    dataset: { SpecificCharacterSet: 'ISO_IR 192', PatientName: 'Doe^Jane', Rows: 2, Columns: 2 },
    bulk: { kind: 'encapsulated', fragments: [{ file, start: 0, length }] },
  };
}

describe('writePart10', () => {
  it('streams one fragment per range with an empty offset table and even padding', async () => {
    const source = join(dir, 'frame.bin');
    const payload = Buffer.from([0xff, 0xd8, 1, 2, 3, 0xff, 0xd9]); // odd length: 7
    await writeFile(source, payload);
    const target = join(dir, 'out.dcm');
    const written = await writePart10(target, plan(source, payload.length));
    const bytes = await readFile(target);
    expect(written.bytes).toBe(bytes.length);
    expect(bytes.subarray(128, 132).toString('latin1')).toBe('DICM');
    // Tail: BOT item (len 0), fragment item (len 8), payload + 0x00, sequence delimiter.
    const tail = bytes.subarray(bytes.length - (12 + 8 + 8 + 8 + 8));
    expect(tail.subarray(0, 12)).toEqual(
      Buffer.from([0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x42, 0, 0, 0xff, 0xff, 0xff, 0xff]),
    );
    expect(tail.readUInt32LE(12 + 4)).toBe(0);
    expect(tail.readUInt32LE(20 + 4)).toBe(8);
    expect(tail.subarray(28, 35)).toEqual(payload);
    expect(tail[35]).toBe(0);
    expect(tail.subarray(36)).toEqual(Buffer.from([0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0]));

    const parsed = DicomMessage.readFile(toArrayBuffer(bytes));
    const meta = DicomMetaDictionary.naturalizeDataset(parsed.meta);
    const data = DicomMetaDictionary.naturalizeDataset(parsed.dict);
    expect(meta.TransferSyntaxUID).toBe(TransferSyntaxUid.JPEGBaseline8Bit);
    expect(data.Rows).toBe(2);
    expect(await readdir(dir)).toEqual(['frame.bin', 'out.dcm']);
  });

  it('writes several fragments of one file in order, each padded to even length', async () => {
    const source = join(dir, 'stream.bin');
    const payload = Buffer.from('0123456789abc'); // 13 bytes: fragments of 6 and 7
    await writeFile(source, payload);
    const target = join(dir, 'multi.dcm');
    await writePart10(target, {
      ...plan(source, 0),
      transferSyntaxUid: TransferSyntaxUid.MPEG4HP41F,
      bulk: {
        kind: 'encapsulated',
        fragments: [
          { file: source, start: 0, length: 6 },
          { file: source, start: 6, length: 7 },
        ],
      },
    });
    const bytes = await readFile(target);
    const tail = bytes.subarray(bytes.length - (12 + 8 + 8 + 6 + 8 + 8 + 8));
    expect(tail.readUInt32LE(12 + 4)).toBe(0); // empty Basic Offset Table
    expect(tail.readUInt32LE(20 + 4)).toBe(6);
    expect(tail.subarray(28, 34).toString()).toBe('012345');
    expect(tail.readUInt32LE(34 + 4)).toBe(8);
    expect(tail.subarray(42, 49).toString()).toBe('6789abc');
    expect(tail[49]).toBe(0);
  });

  it('copies a source larger than the copy buffers and the early-writeback step byte for byte', async () => {
    const source = join(dir, 'large.bin');
    const payload = randomBytes(40 * 1024 * 1024 + 3); // odd: padded; > 32 MiB: flushed on the way
    await writeFile(source, payload);
    const target = join(dir, 'large.dcm');
    const fractions: number[] = [];
    await writePart10(target, plan(source, payload.length), {
      onProgress: (fraction) => fractions.push(fraction),
    });
    const bytes = await readFile(target);
    const start = bytes.length - (payload.length + 1 + 8); // then pad, sequence delimiter
    expect(bytes.readUInt32LE(start - 4)).toBe(payload.length + 1);
    expect(bytes.subarray(start, start + payload.length).equals(payload)).toBe(true);
    expect(fractions.at(-1)).toBe(1);
    expect(await readdir(dir)).toEqual(['large.bin', 'large.dcm']);
  });

  it('starts a large value on a 64 KiB boundary (File Meta Private Information pads the header)', async () => {
    const source = join(dir, 'video.bin');
    const payload = randomBytes(KERNEL_COPY_MIN_BYTES + 1234);
    await writeFile(source, payload);
    const target = join(dir, 'video.dcm');
    const written = await writePart10(target, plan(source, payload.length), { sync: false });
    const bytes = await readFile(target);
    expect(written.bytes).toBe(bytes.length);
    const valueStart = bytes.length - (payload.length + 8); // even length: no pad; then delimiter
    expect(valueStart % 65536).toBe(0);
    expect(bytes.readUInt32LE(valueStart - 4)).toBe(payload.length);
    expect(bytes.subarray(valueStart, valueStart + payload.length).equals(payload)).toBe(true);
    const parsed = DicomMessage.readFile(toArrayBuffer(bytes.subarray(0, valueStart - 28)), {
      untilTag: '7FE00010',
    });
    const meta = DicomMetaDictionary.naturalizeDataset(parsed.meta);
    expect(meta.PrivateInformationCreatorUID).toBe(IMPLEMENTATION_CLASS_UID);
    expect(await readdir(dir)).toEqual(['video.bin', 'video.dcm']);
  });

  it('copies a large part of a file (not the whole file) byte for byte', async () => {
    const source = join(dir, 'container.bin');
    const payload = randomBytes(KERNEL_COPY_MIN_BYTES + 4096);
    await writeFile(source, payload);
    const target = join(dir, 'part.dcm');
    const length = payload.length - 100;
    await writePart10(target, {
      ...plan(source, length),
      bulk: { kind: 'encapsulated', fragments: [{ file: source, start: 50, length }] },
    });
    const bytes = await readFile(target);
    const valueStart = bytes.length - (length + 8);
    expect(
      bytes.subarray(valueStart, valueStart + length).equals(payload.subarray(50, 50 + length)),
    ).toBe(true);
  });

  it('writes an Encapsulated Document with elements that sort after it', async () => {
    const source = join(dir, 'doc.pdf');
    await writeFile(source, Buffer.from('%PDF-1.4\n%%EOF\n'));
    const target = join(dir, 'doc.dcm');
    await writePart10(target, {
      sopClassUid: SopClassUid.EncapsulatedPDFStorage,
      sopInstanceUid: newUid(),
      transferSyntaxUid: TransferSyntaxUid.ExplicitVRLittleEndian,
      dataset: {
        MIMETypeOfEncapsulatedDocument: 'application/pdf',
        EncapsulatedDocumentLength: 15,
      },
      bulk: { kind: 'document', range: { file: source, start: 0, length: 15 } },
    });
    const parsed = DicomMessage.readFile(toArrayBuffer(await readFile(target)));
    const data = DicomMetaDictionary.naturalizeDataset(parsed.dict);
    expect(data.MIMETypeOfEncapsulatedDocument).toBe('application/pdf');
    expect(data.EncapsulatedDocumentLength).toBe(15);
    const doc = data.EncapsulatedDocument as ArrayBuffer[];
    expect(
      Buffer.from(doc[0] as ArrayBuffer)
        .subarray(0, 15)
        .toString(),
    ).toBe('%PDF-1.4\n%%EOF\n');
  });

  it('removes the temporary file and keeps no target when the source is shorter than announced', async () => {
    const source = join(dir, 'short.bin');
    await writeFile(source, Buffer.alloc(10));
    const target = join(dir, 'out.dcm');
    await expect(writePart10(target, plan(source, 1000))).rejects.toThrow(
      /short\.bin: ended after 10 of 1000/,
    );
    expect(await readdir(dir)).toEqual(['short.bin']);
  });

  it('removes the temporary file when aborted', async () => {
    const source = join(dir, 'frame.bin');
    await writeFile(source, Buffer.alloc(64));
    const abort = new AbortController();
    abort.abort(new Error('operator cancelled'));
    await expect(
      writePart10(join(dir, 'out.dcm'), plan(source, 64), { signal: abort.signal }),
    ).rejects.toThrow(/operator cancelled/);
    expect(await readdir(dir)).toEqual(['frame.bin']);
  });
});
