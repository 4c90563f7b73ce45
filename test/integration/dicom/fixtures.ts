import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import dcmjs, { type NaturalDataset } from 'dcmjs';
import sharp from 'sharp';
import { patchDcmjsSequenceCharset } from '../../../main/core/dicom/charset';
import type { CaptureContext } from '../../../main/core/dicom/context';
import { newUid } from '../../../main/core/dicom/uids';
import { requireTool } from '../../services';

const execFileAsync = promisify(execFile);
const { DicomMessage, DicomMetaDictionary } = dcmjs.data;

/** A realistic context: non-ASCII names in all three PN component groups. */
export function sampleContext(overrides: Partial<CaptureContext> = {}): CaptureContext {
  const capturedAt = new Date('2026-03-14T09:26:53.589Z');
  return {
    patient: {
      name: { alphabetic: 'Yamada^Tarou', ideographic: '山田^太郎', phonetic: 'やまだ^たろう' },
      id: 'MRN-0042',
      issuer: 'HOSP',
      birthDate: '19700101',
      sex: 'M',
    },
    study: {
      studyInstanceUid: newUid(),
      accessionNumber: 'ACC123',
      requestedProcedureId: 'RP1',
      requestedProcedureDescription: 'Contrôle de plaie',
      scheduledStepId: 'SPS1',
      referringPhysician: { alphabetic: 'Müller^Jürgen' },
      startedAt: capturedAt,
    },
    series: { seriesInstanceUid: newUid(), seriesNumber: 1, startedAt: capturedAt },
    instanceNumber: 1,
    equipment: {
      manufacturer: 'Capture Station',
      modelName: 'CS-1',
      softwareVersion: '0.1.0',
      deviceSerialNumber: 'SN-0001',
      stationName: 'WARD3-CART',
      aeTitle: 'CAPSTATION',
      institutionName: 'Hôpital Saint-Éloi',
      departmentName: 'Dermatologie',
    },
    operator: { alphabetic: 'Nurse^Ann' },
    region: { code: '14975008', laterality: 'L' },
    capturedAt,
    notes: 'Plaie à J+3, bords propres',
    ...overrides,
  };
}

/** A 640×480 4:2:0 baseline JPEG as a browser camera makes it (libjpeg via sharp). */
export async function makeCameraJpeg(file: string, width = 640, height = 480): Promise<void> {
  const svg = `<svg width="${width}" height="${height}"><circle cx="${width / 2}" cy="${height / 2}" r="${height / 3}" fill="#803020"/><rect x="10" y="10" width="60" height="30" fill="#2060c0"/></svg>`;
  await sharp({ create: { width, height, channels: 3, background: { r: 200, g: 120, b: 90 } } })
    .composite([{ input: Buffer.from(svg) }])
    .jpeg({ quality: 90, mozjpeg: false, chromaSubsampling: '4:2:0' })
    .toFile(file);
}

/** A small but well-formed PDF (PDF 32000-1 7.5): header, one page, xref with real offsets. */
export async function makePdf(file: string, commentBytes = 0): Promise<void> {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
  ];
  let body = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  // Optional bulk: comment lines (PDF 32000-1 7.2.4), so a large PDF stays a valid one.
  const line = `%${'x'.repeat(1022)}\n`;
  body += line.repeat(Math.ceil(commentBytes / line.length));
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  await writeFile(file, Buffer.from(body, 'latin1'));
}

/** 2 s of H.264 High L4.1 640×480 at 30 fps, progressive MP4, made by native ffmpeg. */
export async function makeMp4(file: string): Promise<void> {
  requireTool('ffmpeg', 'ffmpeg');
  await execFileAsync('ffmpeg', [
    ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=640x480:rate=30', '-t', '2'],
    ...['-c:v', 'libx264', '-profile:v', 'high', '-level', '4.1', '-pix_fmt', 'yuv420p', file],
  ]);
}

/**
 * `clip` followed by a top-level `free` box (ISO/IEC 14496-12 8.1.2) of filler up to `bytes`:
 * probed and admitted like the clip, but large enough for writePart10's kernel copy and
 * page alignment (main/core/fs/kernelCopy).
 */
export async function makePaddedMp4(clip: string, file: string, bytes: number): Promise<void> {
  const head = await readFile(clip);
  const filler = bytes - head.length - 8;
  const box = Buffer.alloc(8);
  box.writeUInt32BE(8 + filler, 0);
  box.write('free', 4, 'latin1');
  const body = Buffer.alloc(filler);
  for (let i = 0; i < filler; i++) body[i] = (i * 2654435761) >>> 24;
  await writeFile(file, Buffer.concat([head, box, body]));
}

export interface ReadBack {
  readonly meta: NaturalDataset;
  readonly data: NaturalDataset;
  readonly bytes: Buffer;
}

/**
 * Parses a written instance with dcmjs (the whole file: test fixtures are small), with the charset
 * fix installed so UTF-8 inside sequences reads back as written (dcmjs issues 503/508).
 */
export async function readBack(file: string): Promise<ReadBack> {
  patchDcmjsSequenceCharset();
  const bytes = await readFile(file);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
  const parsed = DicomMessage.readFile(buffer);
  return {
    meta: DicomMetaDictionary.naturalizeDataset(parsed.meta),
    data: DicomMetaDictionary.naturalizeDataset(parsed.dict),
    bytes,
  };
}

/** The first encapsulated fragment after the (empty) Basic Offset Table, padding included. */
export function firstFragment(bytes: Buffer): Buffer {
  const pixelData = bytes.lastIndexOf(Buffer.from([0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x42, 0, 0]));
  const bot = pixelData + 12;
  const botLength = bytes.readUInt32LE(bot + 4);
  const item = bot + 8 + botLength;
  const length = bytes.readUInt32LE(item + 4);
  return bytes.subarray(item + 8, item + 8 + length);
}
