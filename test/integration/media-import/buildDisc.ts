/**
 * Builds patient discs for the import tests with DCMTK, as an outside PACS would: dump2dcm makes
 * Secondary Capture instances (PS3.3 A.8.1) in ISO_IR 100 with real pixel data, and dcmmkdir writes
 * the DICOMDIR (General Purpose CD-R profile, PS3.11 D).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { scanHeader } from '../../../main/core/media-import/scanHeader';
import { dirname, join } from 'node:path';
import { outputText, runTool } from '../../services';

export interface DiscInstance {
  /** Path under the disc root, ISO 9660 style: 'DICOM/P1/ST1/IM1'. */
  readonly file: string;
  readonly sopInstanceUid: string;
  readonly patientId: string;
  readonly patientName: string;
  readonly birthDate: string;
  readonly studyUid: string;
  readonly seriesUid: string;
  readonly modality?: string;
  readonly studyDescription?: string;
  readonly instanceNumber?: number;
}

const SC = '1.2.840.10008.5.1.4.1.1.7';

function dumpOf(i: DiscInstance, pixelFile: string): string {
  return [
    '(0002,0001) OB 00\\01',
    `(0002,0002) UI [${SC}]`,
    `(0002,0003) UI [${i.sopInstanceUid}]`,
    '(0002,0010) UI =LittleEndianExplicit',
    '(0008,0005) CS [ISO_IR 100]',
    `(0008,0016) UI [${SC}]`,
    `(0008,0018) UI [${i.sopInstanceUid}]`,
    '(0008,0020) DA [20240102]',
    '(0008,0030) TM [101010]',
    '(0008,0050) SH [OUTACC1]',
    `(0008,0060) CS [${i.modality ?? 'OT'}]`,
    '(0008,0064) CS [WSD]',
    '(0008,0090) PN [REF^DOC]',
    `(0008,1030) LO [${i.studyDescription ?? 'Outside study'}]`,
    `(0010,0010) PN [${i.patientName}]`,
    `(0010,0020) LO [${i.patientId}]`,
    `(0010,0030) DA [${i.birthDate}]`,
    '(0010,0040) CS [M]',
    `(0020,000d) UI [${i.studyUid}]`,
    `(0020,000e) UI [${i.seriesUid}]`,
    '(0020,0010) SH [S1]',
    '(0020,0011) IS [1]',
    `(0020,0013) IS [${i.instanceNumber ?? 1}]`,
    '(0020,0020) CS [L\\F]',
    '(0020,0060) CS [R]',
    '(0028,0002) US 1',
    '(0028,0004) CS [MONOCHROME2]',
    '(0028,0010) US 16',
    '(0028,0011) US 16',
    '(0028,0100) US 8',
    '(0028,0101) US 8',
    '(0028,0102) US 7',
    '(0028,0103) US 0',
    `(7fe0,0010) OW =${pixelFile}`,
  ].join('\n');
}

/** Writes one instance at root/file; throws with dump2dcm's output when it fails. */
export async function writeDiscInstance(root: string, i: DiscInstance): Promise<string> {
  const path = join(root, i.file);
  await mkdir(dirname(path), { recursive: true });
  const pixels = `${path}.raw`;
  const dump = `${path}.dump`;
  await writeFile(pixels, randomBytes(256));
  await writeFile(dump, Buffer.from(dumpOf(i, pixels), 'latin1'));
  const result = await runTool('dump2dcm', [dump, path]);
  if (result.code !== 0) throw new Error(`dump2dcm: ${outputText(result)}`);
  const { rm } = await import('node:fs/promises');
  await rm(pixels);
  await rm(dump);
  return path;
}

/** Runs dcmmkdir in the disc root over `folder` (relative); throws with its output on failure. */
export async function makeDicomdir(root: string, folder = 'DICOM'): Promise<void> {
  const result = await runTool('dcmmkdir', ['--recurse', folder], { cwd: root });
  if (result.code !== 0) throw new Error(`dcmmkdir: ${outputText(result)}`);
}

/** Renames every file and folder under root to lower case (discs burned by some viewers). */
export async function lowerCaseAll(folder: string): Promise<void> {
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const lower = join(folder, entry.name.toLowerCase());
    if (lower !== join(folder, entry.name)) await rename(join(folder, entry.name), lower);
    if (entry.isDirectory()) await lowerCaseAll(lower);
  }
}

export const uid = (...parts: number[]): string =>
  `1.2.826.0.1.3680043.2.1143.88.${parts.join('.')}`;

/** Two patients, two studies for the first, on one disc (a common outside-CD case). */
export function multiPatientInstances(): DiscInstance[] {
  const list: DiscInstance[] = [];
  const add = (p: number, st: number, se: number, n: number) =>
    list.push({
      file: `DICOM/P${p}/ST${st}/SE${se}/IM${n}`,
      sopInstanceUid: uid(p, st, se, n),
      patientId: `OUT-${p}`,
      patientName: p === 1 ? 'Müller^Otto' : 'Ñúñez^Ana',
      birthDate: p === 1 ? '19700101' : '19851224',
      studyUid: uid(p, st),
      seriesUid: uid(p, st, se),
      modality: se === 2 ? 'XC' : 'OT',
      studyDescription: `Study ${st}`,
      instanceNumber: n,
    });
  for (const n of [1, 2]) add(1, 1, 1, n);
  add(1, 1, 2, 1);
  add(1, 2, 1, 1);
  for (const n of [1, 2, 3]) add(2, 3, 1, n);
  return list;
}

/** A small outside PDF (header, one object, trailer) as found next to the images on some discs. */
export const OUTSIDE_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n',
  'latin1',
);

/** The bytes after the header (pixel data onwards), to prove an import changed only the header. */
export async function pixelBytes(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const header = await scanHeader(handle);
    return (await readFile(path)).subarray(header.pixelDataOffset);
  } finally {
    await handle.close();
  }
}
