import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptureKind } from '../../../main/core/dicom/sopClass';
import { wrapCapture, type WrapResult } from '../../../main/core/dicom/wrapCapture';
import { prepareVideo } from '../../../main/core/video/prepareVideo';
import { outputText, runTool, startOrthanc, type Orthanc } from '../../services';
import {
  firstFragment,
  makeCameraJpeg,
  makeMp4,
  makePaddedMp4,
  makePdf,
  sampleContext,
} from './fixtures';
import { KERNEL_COPY_MIN_BYTES } from '../../../main/core/fs/kernelCopy';
import { httpGet, stowFiles } from './stowClient';

let dir = '';
let orthanc: Orthanc;
const written = new Map<CaptureKind, WrapResult>();

const INPUTS: ReadonlyArray<[CaptureKind, string]> = [
  ['photo', 'camera.jpg'],
  ['endoscopy', 'camera.jpg'],
  ['dermoscopy', 'camera.jpg'],
  ['video-endoscopy', 'clip.mp4'],
  ['video-photo', 'large.mp4'],
  ['pdf', 'report.pdf'],
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orthanc-dicom-'));
  const started = startOrthanc();
  await Promise.all([
    makeCameraJpeg(join(dir, 'camera.jpg')),
    makePdf(join(dir, 'report.pdf')),
    makeMp4(join(dir, 'clip.mp4')),
  ]);
  // Large enough for the kernel copy into a page-aligned value (File Meta padding).
  await makePaddedMp4(join(dir, 'clip.mp4'), join(dir, 'large.mp4'), KERNEL_COPY_MIN_BYTES + 4321);
  for (const [kind, input] of INPUTS) {
    const result = await wrapCapture({
      input: join(dir, input),
      kind,
      context: sampleContext(),
      output: join(dir, `${kind}.dcm`),
      prepareVideo,
    });
    written.set(kind, result);
  }
  orthanc = await started;
});
afterAll(async () => {
  await orthanc?.stop({ graceMs: 0 });
  await rm(dir, { recursive: true, force: true });
});

async function orthancId(sopInstanceUid: string): Promise<string> {
  const res = await fetch(`${orthanc.baseUrl}/tools/lookup`, {
    method: 'POST',
    body: sopInstanceUid,
  });
  const found = (await res.json()) as Array<{ ID: string; Type: string }>;
  const instance = found.find((f) => f.Type === 'Instance');
  if (!instance) throw new Error(`Orthanc does not have ${sopInstanceUid}`);
  return instance.ID;
}

async function tags(kind: CaptureKind): Promise<Record<string, string>> {
  const uid = written.get(kind)?.sopInstanceUid ?? '';
  const body = await httpGet(
    `${orthanc.baseUrl}/instances/${await orthancId(uid)}/simplified-tags`,
  );
  return JSON.parse(body.toString('utf8')) as Record<string, string>;
}

describe('Orthanc accepts every object', () => {
  it('over STOW-RS: one request, all six instances stored', async () => {
    const files = INPUTS.map(([kind]) => join(dir, `${kind}.dcm`));
    const { status, body } = await stowFiles(`${orthanc.dicomWebUrl}/studies`, files);
    expect(status, JSON.stringify(body)).toBe(200);
    const failed = (body as Record<string, { Value?: unknown[] }>)['00081198'];
    expect(failed?.Value ?? []).toEqual([]);
    for (const [kind] of INPUTS) await orthancId(written.get(kind)?.sopInstanceUid ?? '');
  });

  it('returns the PDF byte-identical', async () => {
    const id = await orthancId(written.get('pdf')?.sopInstanceUid ?? '');
    const pdf = await httpGet(`${orthanc.baseUrl}/instances/${id}/pdf`);
    expect(pdf.equals(await readFile(join(dir, 'report.pdf')))).toBe(true);
  });

  it.each([
    ['video-endoscopy', 'clip.mp4'],
    ['video-photo', 'large.mp4'], // copied in the kernel into a page-aligned value
  ] as const)(
    'returns the MP4 of %s byte-identical, with the frame count of the source',
    async (kind, input) => {
      const id = await orthancId(written.get(kind)?.sopInstanceUid ?? '');
      const stored = await httpGet(`${orthanc.baseUrl}/instances/${id}/file`);
      const source = await readFile(join(dir, input));
      const fragment = firstFragment(stored);
      expect(fragment.subarray(0, source.length).equals(source)).toBe(true);
      expect(fragment.length - source.length).toBe(source.length % 2);
      expect((await tags(kind)).NumberOfFrames).toBe('60');
    },
  );

  it('carries the names in all three component groups, and UTF-8 text', async () => {
    const t = await tags('photo');
    expect(t.SpecificCharacterSet).toBe('ISO_IR 192');
    expect(t.PatientName).toBe('Yamada^Tarou=山田^太郎=やまだ^たろう');
    expect(t.InstitutionName).toBe('Hôpital Saint-Éloi');
    expect(t.ImageComments).toBe('Plaie à J+3, bords propres');
  });

  it.each([
    ['Greek (ISO_IR 126 repertoire)', 'Παπαδόπουλος^Νίκος'],
    ['Cyrillic (ISO_IR 144 repertoire)', 'Иванов^Иван'],
    ['Central European (ISO_IR 101 repertoire)', 'Dvořák^Antonín'],
    ['Chinese (GB18030 repertoire)', 'Zhang^SanFeng=张^三丰='],
    ['Korean (ISO 2022 IR 149 repertoire)', 'Hong^Gildong=洪^吉洞=홍^길동'],
  ])('%s names written as UTF-8 come back unchanged', async (_label, name) => {
    const [alphabetic = '', ideographic, phonetic] = name.split('=');
    const context = sampleContext({
      patient: {
        ...sampleContext().patient,
        name: {
          alphabetic,
          ...(ideographic ? { ideographic } : {}),
          ...(phonetic ? { phonetic } : {}),
        },
      },
    });
    const output = join(dir, `name-${alphabetic.length}-${name.length}.dcm`);
    const result = await wrapCapture({
      input: join(dir, 'camera.jpg'),
      kind: 'photo',
      context,
      output,
    });
    const { status } = await stowFiles(`${orthanc.dicomWebUrl}/studies`, [output]);
    expect(status).toBe(200);
    const id = await orthancId(result.sopInstanceUid);
    const body = await httpGet(`${orthanc.baseUrl}/instances/${id}/simplified-tags`);
    const tagsBack = JSON.parse(body.toString('utf8')) as Record<string, string>;
    expect(tagsBack.PatientName).toBe(name.replace(/=+$/, ''));
  });

  it.each([
    ['-xy', ['photo', 'endoscopy', 'dermoscopy']],
    ['-xn', ['video-endoscopy', 'video-photo']],
    ['-x=', ['pdf']],
  ] as const)('over C-STORE (DCMTK storescu %s -R): %j', async (proposal, kinds) => {
    const files = kinds.map((kind) => join(dir, `${kind}.dcm`));
    const args = ['-aec', orthanc.aet, proposal, '-R', '127.0.0.1', String(orthanc.dicomPort)];
    const result = await runTool('storescu', [...args, ...files]);
    expect(result.code, outputText(result)).toBe(0);
    expect(outputText(result)).not.toMatch(/^E:/m);
  });
});
