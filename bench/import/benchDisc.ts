/**
 * A patient disc as an outside PACS burns it, built at run time for the import bench: one patient
 * (Latin-1 name, ISO_IR 100), four studies, CT 512×512 16-bit slices (~0.5 MB, most of the disc),
 * MR 256×256, a 1024-matrix CT series (~2 MB each) and a few large DX radiographs (~15 MB), with
 * realistic headers (a code sequence, a private block), ISO 9660 file IDs and a DICOMDIR written
 * by DCMTK dcmmkdir (General Purpose CD-R, PS3.11 D). Deterministic: the same count gives the
 * same bytes, so a disc already built with the same stamp is reused.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeDataSet, tag, type ElementSpec } from '../../main/core/dimse/dataSet';
import { outputText, runTool } from '../../test/services';

const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const SOP = { CT: '1.2.840.10008.5.1.4.1.1.2', MR: '1.2.840.10008.5.1.4.1.1.4' } as const;
const DX = '1.2.840.10008.5.1.4.1.1.1.1'; // Digital X-Ray Image Storage - For Presentation
const ROOT_UID = '1.2.826.0.1.3680043.2.1143.77';

interface SeriesPlan {
  readonly study: number;
  readonly modality: 'CT' | 'MR' | 'DX';
  readonly description: string;
  readonly rows: number;
  readonly columns: number;
  /** Share of the disc's instances (the CT series take what is left). */
  readonly share: number;
}

/** Four studies; shares add up to 1. */
const PLAN: readonly SeriesPlan[] = [
  { study: 1, modality: 'CT', description: 'Thorax 1.0 mm', rows: 512, columns: 512, share: 0.3 },
  { study: 1, modality: 'CT', description: 'Abdomen 1.0 mm', rows: 512, columns: 512, share: 0.3 },
  {
    study: 1,
    modality: 'CT',
    description: 'Thorax 1024',
    rows: 1024,
    columns: 1024,
    share: 0.0475,
  },
  { study: 2, modality: 'CT', description: 'Head 0.6 mm', rows: 512, columns: 512, share: 0.25 },
  { study: 3, modality: 'MR', description: 'T2 TSE ax', rows: 256, columns: 256, share: 0.05 },
  { study: 3, modality: 'MR', description: 'T1 SE sag', rows: 256, columns: 256, share: 0.05 },
  { study: 4, modality: 'DX', description: 'Chest PA', rows: 3000, columns: 2500, share: 0.0025 },
];

export const DISC_PATIENT = {
  id: 'EXT-4711',
  name: 'MÜLLER^HANS', // Latin-1 on the disc: the coercion must keep the charset right
  birthDate: '19560317',
  sex: 'M',
} as const;

export interface BenchDisc {
  readonly root: string;
  /** Instance files, absolute paths, in disc order. */
  readonly files: readonly string[];
  readonly bytes: number;
}

/** xorshift32: deterministic "pixel noise" so every run sends the same bytes. */
function noise(bytes: number, seed: number): Buffer {
  const out = Buffer.alloc(bytes);
  let x = seed >>> 0 || 1;
  for (let i = 0; i + 4 <= bytes; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    // CT-like 12-bit values in 16-bit words
    out.writeUInt32LE(((x >>> 0) & 0x0fff0fff) >>> 0, i);
  }
  return out;
}

function part10Meta(sopClassUid: string, sopInstanceUid: string): Buffer {
  const meta = encodeDataSet(
    [
      { tag: tag(0x0002, 0x0001), vr: 'OB', value: Buffer.from([0, 1]) },
      { tag: tag(0x0002, 0x0002), vr: 'UI', value: sopClassUid },
      { tag: tag(0x0002, 0x0003), vr: 'UI', value: sopInstanceUid },
      { tag: tag(0x0002, 0x0010), vr: 'UI', value: EXPLICIT_LE },
      { tag: tag(0x0002, 0x0012), vr: 'UI', value: `${ROOT_UID}.0.1` },
      { tag: tag(0x0002, 0x0013), vr: 'SH', value: 'OUTSIDE_PACS_3' },
    ],
    'explicit',
  );
  const length = Buffer.alloc(4);
  length.writeUInt32LE(meta.length);
  const groupLength = encodeDataSet(
    [{ tag: tag(0x0002, 0x0000), vr: 'UL', value: length }],
    'explicit',
  );
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), groupLength, meta]);
}

const us = (n: number): Buffer => Buffer.from([n & 0xff, n >> 8]);
const text = (t: number, vr: string, value: string): ElementSpec => ({ tag: t, vr, value });

function studyElements(study: number): ElementSpec[] {
  return [
    text(tag(0x0008, 0x0020), 'DA', `2026110${study}`),
    text(tag(0x0008, 0x0030), 'TM', '093012.250000'),
    text(tag(0x0008, 0x0050), 'SH', `ACC-OUT-${1000 + study}`),
    text(tag(0x0008, 0x0080), 'LO', 'Klinikum Außenstadt'),
    text(tag(0x0008, 0x0090), 'PN', 'WEISS^PETRA^^DR.'),
    text(tag(0x0008, 0x1030), 'LO', `Outside study ${study}`),
    text(tag(0x0020, 0x000d), 'UI', `${ROOT_UID}.${study}`),
    text(tag(0x0020, 0x0010), 'SH', `S${study}`),
    {
      tag: tag(0x0008, 0x1032), // Procedure Code Sequence
      vr: 'SQ',
      value: [
        [
          text(tag(0x0008, 0x0100), 'SH', `PROC${study}`),
          text(tag(0x0008, 0x0102), 'SH', '99OUTSIDE'),
          text(tag(0x0008, 0x0104), 'LO', `Outside procedure ${study}`),
        ],
      ],
    },
  ];
}

function instanceElements(plan: SeriesPlan, series: number, n: number): ElementSpec[] {
  const sop = plan.modality === 'DX' ? DX : SOP[plan.modality];
  const uid = `${ROOT_UID}.${plan.study}.${series}.${n}`;
  const bits = plan.modality === 'MR' ? 12 : 16;
  return [
    text(tag(0x0008, 0x0005), 'CS', 'ISO_IR 100'),
    text(tag(0x0008, 0x0008), 'CS', 'ORIGINAL\\PRIMARY\\AXIAL'),
    text(tag(0x0008, 0x0016), 'UI', sop),
    text(tag(0x0008, 0x0018), 'UI', uid),
    text(tag(0x0008, 0x0060), 'CS', plan.modality),
    text(tag(0x0008, 0x0070), 'LO', 'Outside Medical Systems'),
    text(tag(0x0008, 0x103e), 'LO', plan.description),
    text(tag(0x0008, 0x1090), 'LO', 'Scanner 3000'),
    text(tag(0x0009, 0x0010), 'LO', 'OUTSIDE PRIVATE'),
    { tag: tag(0x0009, 0x1001), vr: 'OB', value: noise(2048, n + 7) },
    text(tag(0x0010, 0x0010), 'PN', DISC_PATIENT.name),
    text(tag(0x0010, 0x0020), 'LO', DISC_PATIENT.id),
    text(tag(0x0010, 0x0030), 'DA', DISC_PATIENT.birthDate),
    text(tag(0x0010, 0x0040), 'CS', DISC_PATIENT.sex),
    text(tag(0x0018, 0x0050), 'DS', '1.0'),
    text(tag(0x0018, 0x0060), 'DS', '120'),
    text(tag(0x0020, 0x000e), 'UI', `${ROOT_UID}.${plan.study}.${series}`),
    text(tag(0x0020, 0x0011), 'IS', String(series)),
    text(tag(0x0020, 0x0013), 'IS', String(n)),
    text(tag(0x0020, 0x0032), 'DS', `-250.0\\-250.0\\${(-n * 1.0).toFixed(1)}`),
    text(tag(0x0020, 0x0037), 'DS', '1\\0\\0\\0\\1\\0'),
    text(tag(0x0020, 0x0052), 'UI', `${ROOT_UID}.${plan.study}.0`),
    text(tag(0x0020, 0x1041), 'DS', (-n * 1.0).toFixed(1)),
    { tag: tag(0x0028, 0x0002), vr: 'US', value: us(1) },
    text(tag(0x0028, 0x0004), 'CS', 'MONOCHROME2'),
    { tag: tag(0x0028, 0x0010), vr: 'US', value: us(plan.rows) },
    { tag: tag(0x0028, 0x0011), vr: 'US', value: us(plan.columns) },
    text(tag(0x0028, 0x0030), 'DS', '0.7\\0.7'),
    { tag: tag(0x0028, 0x0100), vr: 'US', value: us(16) },
    { tag: tag(0x0028, 0x0101), vr: 'US', value: us(bits) },
    { tag: tag(0x0028, 0x0102), vr: 'US', value: us(bits - 1) },
    { tag: tag(0x0028, 0x0103), vr: 'US', value: us(0) },
    text(tag(0x0028, 0x1050), 'DS', '40'),
    text(tag(0x0028, 0x1051), 'DS', '400'),
    text(tag(0x0028, 0x1052), 'DS', '-1024'),
    text(tag(0x0028, 0x1053), 'DS', '1'),
  ];
}

function countsFor(total: number): number[] {
  const counts = PLAN.map((p) => Math.max(1, Math.floor(total * p.share)));
  const rest = total - counts.reduce((a, b) => a + b, 0);
  counts[0] = (counts[0] ?? 0) + rest; // the first CT series absorbs rounding
  return counts;
}

const pad = (n: number): string => String(n).padStart(6, '0');

/**
 * Builds (or reuses) a disc of `count` instances under `root`, then its DICOMDIR with dcmmkdir.
 * Throws with dcmmkdir's output when DCMTK refuses the disc.
 */
export async function buildBenchDisc(root: string, count: number): Promise<BenchDisc> {
  const counts = countsFor(count);
  const stamp = JSON.stringify({ version: 1, counts });
  const stampFile = join(root, '..', `${root.split('/').pop() ?? 'disc'}.stamp`);
  const files: string[] = [];
  const reuse =
    existsSync(join(root, 'DICOMDIR')) &&
    existsSync(stampFile) &&
    (await readFile(stampFile, 'utf8')) === stamp;
  if (!reuse) await rm(root, { recursive: true, force: true });
  const pixelsBySize = new Map<number, Buffer>();
  for (const [index, plan] of PLAN.entries()) {
    const series = index + 1;
    const folder = join(root, 'DICOM', `ST${pad(plan.study)}`, `SE${pad(series)}`);
    await mkdir(folder, { recursive: true });
    const pixelBytes = plan.rows * plan.columns * 2;
    let pixels = pixelsBySize.get(pixelBytes);
    if (!pixels && !reuse) pixelsBySize.set(pixelBytes, (pixels = noise(pixelBytes, pixelBytes)));
    for (let n = 1; n <= (counts[index] ?? 0); n++) {
      const file = join(folder, `IM${pad(n)}`);
      files.push(file);
      if (reuse || !pixels) continue;
      const elements = [...studyElements(plan.study), ...instanceElements(plan, series, n)];
      const sop = elements.find((e) => e.tag === tag(0x0008, 0x0016))?.value as string;
      const uid = elements.find((e) => e.tag === tag(0x0008, 0x0018))?.value as string;
      pixels.writeUInt32LE(n, 0); // each slice differs
      const body = encodeDataSet(
        [...elements, { tag: tag(0x7fe0, 0x0010), vr: 'OW', value: pixels }],
        'explicit',
      );
      await writeFile(file, Buffer.concat([part10Meta(sop, uid), body]));
    }
  }
  if (!reuse) {
    const result = await runTool('dcmmkdir', ['--recurse', 'DICOM'], {
      cwd: root,
      timeoutMs: 600_000,
    });
    if (result.code !== 0) throw new Error(`dcmmkdir: ${outputText(result)}`);
    await writeFile(stampFile, stamp);
  }
  let bytes = 0;
  for (const file of files) bytes += (await stat(file)).size;
  return { root, files, bytes };
}
