/**
 * Test objects made at test time with DCMTK (dump2dcm, img2dcm, pdf2dcm, dcmconv), ffmpeg and the
 * station's own Part-10 writer, covering what the station sends: photo, video, PDF, text in
 * ISO_IR 100 and ISO 2022 IR 87, sequences, and an Implicit VR copy.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writePart10 } from '../../../main/core/dicom/part10/writePart10';
import { runTool, outputText } from '../../services';

async function run(tool: string, args: string[]): Promise<void> {
  const result = await runTool(tool, args, { timeoutMs: 30_000 });
  if (result.code !== 0)
    throw new Error(`${tool} ${args.join(' ')} failed:\n${outputText(result)}`);
}

const SC = '1.2.840.10008.5.1.4.1.1.7';

/** A dump2dcm text with a sequence, text in `charset` given as raw bytes. */
function dump(charset: string, name: Buffer, uid: string, extra: string[] = []): Buffer {
  const lines = [
    `(0002,0010) UI [1.2.840.10008.1.2.1]`,
    `(0008,0005) CS [${charset}]`,
    `(0008,0016) UI [${SC}]`,
    `(0008,0018) UI [${uid}]`,
    `(0008,0060) CS [OT]`,
    `(0010,0010) PN [@NAME@]`,
    `(0010,0020) LO [PID-${uid.slice(-4)}]`,
    `(0008,1110) SQ (Sequence with explicit length #=1)`,
    `  (fffe,e000) na (Item with explicit length #=2)`,
    `    (0008,1150) UI [1.2.840.10008.3.1.2.3.1]`,
    `    (0008,1155) UI [1.2.3.4.5.6]`,
    `  (fffe,e00d) na (ItemDelimitationItem for re-encoding)`,
    `(fffe,e0dd) na (SequenceDelimitationItem for re-encod.)`,
    `(0020,000d) UI [1.2.3.${uid.slice(-4)}]`,
    `(0020,000e) UI [1.2.3.${uid.slice(-4)}.1]`,
    `(0028,0002) US 1`,
    `(0028,0004) CS [MONOCHROME2]`,
    `(0028,0010) US 4`,
    `(0028,0011) US 4`,
    `(0028,0100) US 8`,
    `(0028,0101) US 8`,
    `(0028,0102) US 7`,
    `(0028,0103) US 0`,
    ...extra,
    `(7fe0,0010) OW 0100\\0302\\0504\\0706\\0908\\0b0a\\0d0c\\0f0e`,
  ];
  const text = Buffer.from(lines.join('\n') + '\n', 'latin1');
  const at = text.indexOf('@NAME@');
  return Buffer.concat([text.subarray(0, at), name, text.subarray(at + 6)]);
}

export interface Fixtures {
  readonly latin1: string;
  readonly iso2022: string;
  readonly implicit: string;
  readonly photo: string;
  readonly video: string;
  readonly pdf: string;
}

/** PS3.5 H.3.1 example name "Yamada^Tarou=山田^太郎=やまだ^たろう" in ISO 2022 IR 87. */
export const YAMADA_ISO2022 = Buffer.from(
  'Yamada^Tarou=\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B=\x1b$B$d$^$@\x1b(B^\x1b$B$?$m$&\x1b(B',
  'latin1',
);

export async function makeFixtures(dir: string): Promise<Fixtures> {
  const at = (name: string) => path.join(dir, name);
  await writeFile(
    at('latin1.dump'),
    dump('ISO_IR 100', Buffer.from('Müller^Jürgen', 'latin1'), '1.2.826.0.1.1001'),
  );
  await writeFile(
    at('iso2022.dump'),
    dump('ISO 2022 IR 6\\ISO 2022 IR 87', YAMADA_ISO2022, '1.2.826.0.1.1002'),
  );
  await run('dump2dcm', ['-q', '+te', at('latin1.dump'), at('latin1.dcm')]);
  await run('dump2dcm', ['-q', '+te', at('iso2022.dump'), at('iso2022.dcm')]);
  await run('dcmconv', ['-q', '+ti', at('latin1.dcm'), at('implicit.dcm')]);
  await makeMedia(dir);
  return {
    latin1: at('latin1.dcm'),
    iso2022: at('iso2022.dcm'),
    implicit: at('implicit.dcm'),
    photo: at('photo.dcm'),
    video: at('video.dcm'),
    pdf: at('pdf.dcm'),
  };
}

async function makeMedia(dir: string): Promise<void> {
  const at = (name: string) => path.join(dir, name);
  await run('ffmpeg', [
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    'testsrc=size=320x240',
    '-frames:v',
    '1',
    at('photo.jpg'),
  ]);
  await run('img2dcm', ['-q', at('photo.jpg'), at('photo.dcm')]);
  await writeFile(at('doc.pdf'), '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  await run('pdf2dcm', ['-q', at('doc.pdf'), at('pdf.dcm')]);
  await run('ffmpeg', [
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    'testsrc=size=320x240:rate=25',
    '-t',
    '1',
    '-c:v',
    'libx264',
    '-profile:v',
    'high',
    '-pix_fmt',
    'yuv420p',
    at('clip.mp4'),
  ]);
  const { size } = await import('node:fs/promises').then((fs) => fs.stat(at('clip.mp4')));
  await writePart10(at('video.dcm'), {
    sopClassUid: '1.2.840.10008.5.1.4.1.1.77.1.4.1',
    sopInstanceUid: '1.2.826.0.1.1003',
    transferSyntaxUid: '1.2.840.10008.1.2.4.102',
    dataset: {
      SpecificCharacterSet: 'ISO_IR 192',
      PatientName: 'Test^Video',
      PatientID: 'PID-VIDEO',
      StudyInstanceUID: '1.2.826.0.1.1003.1',
      SeriesInstanceUID: '1.2.826.0.1.1003.2',
      Modality: 'XC',
      Rows: 240,
      Columns: 320,
      SamplesPerPixel: 3,
      PhotometricInterpretation: 'YBR_PARTIAL_420',
      PlanarConfiguration: 0,
      BitsAllocated: 8,
      BitsStored: 8,
      HighBit: 7,
      PixelRepresentation: 0,
      NumberOfFrames: '25',
      FrameTime: 40,
    },
    bulk: { kind: 'encapsulated', fragments: [{ file: at('clip.mp4'), start: 0, length: size }] },
  });
}

/** A Encapsulated PDF instance of `megabytes` MB of random bytes: big enough to cut mid-transfer. */
export async function makeLargeInstance(dir: string, megabytes: number): Promise<string> {
  const { randomBytes } = await import('node:crypto');
  const body = path.join(dir, 'large.bin');
  await writeFile(body, randomBytes(megabytes * 1024 * 1024));
  const target = path.join(dir, 'large.dcm');
  await writePart10(target, {
    sopClassUid: '1.2.840.10008.5.1.4.1.1.104.1',
    sopInstanceUid: '1.2.826.0.1.1004',
    transferSyntaxUid: '1.2.840.10008.1.2.1',
    dataset: {
      PatientName: 'Test^Large',
      PatientID: 'PID-LARGE',
      MIMETypeOfEncapsulatedDocument: 'application/pdf',
    },
    bulk: { kind: 'document', range: { file: body, start: 0, length: megabytes * 1024 * 1024 } },
  });
  return target;
}
