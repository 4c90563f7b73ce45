import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { dcmtkKeyword } from './dcmtkDictionary';
import { outputText, runTool } from './tools';

/** A value in a fixture: text (multiple values joined with '\'), or the items of a sequence. */
export type FixtureValue = string | readonly FixtureDataset[];

/** DICOM keyword → value, e.g. { PatientName: 'Müller^Jürgen', PatientSex: 'M' }. */
export interface FixtureDataset {
  readonly [keyword: string]: FixtureValue;
}

/**
 * One Modality Worklist entry as a flat keyword → value map. Keys of the Scheduled Procedure Step
 * (group 0040 keywords starting with "Scheduled", plus Modality) are moved into
 * ScheduledProcedureStepSequence; give ScheduledProcedureStepSequence yourself to control it fully.
 * SpecificCharacterSet defaults to 'ISO_IR 192' (UTF-8).
 */
export type WorklistFixtureItem = FixtureDataset;

/** PS3.4 K.6.1 return keys a station relies on; wlmscpfs silently ignores files lacking some. */
export const MWL_RETURN_KEYS = [
  'PatientName',
  'PatientID',
  'PatientBirthDate',
  'PatientSex',
  'AccessionNumber',
  'StudyInstanceUID',
  'RequestedProcedureID',
  'RequestedProcedureDescription',
  'ReferringPhysicianName',
  'Modality',
  'ScheduledStationAETitle',
  'ScheduledProcedureStepStartDate',
  'ScheduledProcedureStepStartTime',
  'ScheduledProcedureStepID',
  'ScheduledProcedureStepDescription',
  'ScheduledPerformingPhysicianName',
] as const;

const UTF8 = 'ISO_IR 192';

/**
 * Writes one .wl file per item (01.wl, 02.wl, …) into <dir>/<aet>/ via dcmtk dump2dcm, creating
 * the folder and its empty lockfile, and first deleting any .wl files already there so the folder
 * holds exactly `items`. Text is encoded per the item's Specific Character Set: UTF-8 for
 * 'ISO_IR 192' (the default), Latin-1 for 'ISO_IR 100', ASCII when empty or 'ISO_IR 6'.
 * Throws on an unknown keyword, a value the character set cannot encode or containing a line
 * break, another character set, a missing MWL_RETURN_KEYS entry (unless `allowIncomplete`: an
 * empty string counts as present), or a dump2dcm failure (with its output).
 */
export async function writeWorklistFolder(
  dir: string,
  aet: string,
  items: readonly WorklistFixtureItem[],
  options: { allowIncomplete?: boolean } = {},
): Promise<void> {
  const aetDir = path.join(dir, aet);
  await mkdir(aetDir, { recursive: true });
  await writeFile(path.join(aetDir, 'lockfile'), '', { flag: 'a' });
  for (const name of await readdir(aetDir)) {
    if (name.endsWith('.wl')) await rm(path.join(aetDir, name), { force: true });
  }
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'rig-wl-'));
  try {
    for (const [index, item] of items.entries()) {
      if (options.allowIncomplete !== true) assertComplete(item, index);
      const dataset = toWorklistDataset(item);
      const encoding = textEncoding(dataset.SpecificCharacterSet);
      const dumpFile = path.join(scratch, `${index + 1}.dump`);
      await writeFile(dumpFile, encodeDump(dumpLines(dataset, '').join('\n') + '\n', encoding));
      const wlFile = path.join(aetDir, `${String(index + 1).padStart(2, '0')}.wl`);
      // +te: explicit VR little endian, the transfer syntax wlmscpfs reads its files in.
      const result = await runTool('dump2dcm', ['-q', '+te', dumpFile, wlFile]);
      if (result.code !== 0) {
        throw new Error(`dump2dcm failed for worklist item ${index + 1}:\n${outputText(result)}`);
      }
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function assertComplete(item: WorklistFixtureItem, index: number): void {
  const sps = item.ScheduledProcedureStepSequence;
  const spsItem = Array.isArray(sps) ? (sps as readonly FixtureDataset[])[0] : undefined;
  const missing = MWL_RETURN_KEYS.filter(
    (key) => item[key] === undefined && spsItem?.[key] === undefined,
  );
  if (missing.length > 0) {
    throw new Error(
      `worklist item ${index + 1} lacks PS3.4 K.6.1 return keys ${missing.join(', ')}: wlmscpfs ` +
        'would ignore the file silently (pass { allowIncomplete: true } if that is the point)',
    );
  }
}

/** Adds SpecificCharacterSet and moves the Scheduled Procedure Step keys into their sequence. */
function toWorklistDataset(item: WorklistFixtureItem): FixtureDataset {
  const withCharset: FixtureDataset = { SpecificCharacterSet: UTF8, ...item };
  if (item.ScheduledProcedureStepSequence !== undefined) return withCharset;
  const top: Record<string, FixtureValue> = {};
  const step: Record<string, FixtureValue> = {};
  for (const [keyword, value] of Object.entries(withCharset)) {
    const inStep =
      keyword === 'Modality' ||
      (keyword.startsWith('Scheduled') && dcmtkKeyword(keyword).tag.startsWith('0040,'));
    (inStep ? step : top)[keyword] = value;
  }
  return Object.keys(step).length > 0 ? { ...top, ScheduledProcedureStepSequence: [step] } : top;
}

/** dump2dcm text: "(gggg,eeee) [value]" (VR from the dictionary), sequences spelled out. */
function dumpLines(dataset: FixtureDataset, indent: string): string[] {
  const lines: string[] = [];
  for (const [keyword, value] of Object.entries(dataset)) {
    const { tag } = dcmtkKeyword(keyword);
    if (typeof value === 'string') {
      if (/[\r\n]/.test(value))
        throw new Error(`${keyword}: line breaks cannot go through dump2dcm`);
      lines.push(`${indent}(${tag}) [${value}]`);
      continue;
    }
    lines.push(`${indent}(${tag}) SQ (Sequence with undefined length)`);
    for (const item of value) {
      lines.push(`${indent}  (fffe,e000) na (Item with undefined length)`);
      lines.push(...dumpLines(item, `${indent}    `));
      lines.push(`${indent}  (fffe,e00d) na (ItemDelimitationItem)`);
    }
    lines.push(`${indent}(fffe,e0dd) na (SequenceDelimitationItem)`);
  }
  return lines;
}

type TextEncoding = 'utf8' | 'latin1' | 'ascii';

/** PS3.3 C.12.1.1.2: only single-byte or UTF-8 repertoires without code extensions are handled. */
function textEncoding(charset: FixtureValue | undefined): TextEncoding {
  const first = typeof charset === 'string' ? (charset.split('\\')[0] ?? '').trim() : '';
  if (first === UTF8) return 'utf8';
  if (first === 'ISO_IR 100') return 'latin1';
  if (first === '' || first === 'ISO_IR 6') return 'ascii';
  throw new Error(`writeWorklistFolder: Specific Character Set "${first}" is not supported`);
}

function encodeDump(text: string, encoding: TextEncoding): Buffer {
  const limit = encoding === 'utf8' ? Infinity : encoding === 'latin1' ? 0xff : 0x7f;
  const bad = [...text].find((char) => (char.codePointAt(0) ?? 0) > limit);
  if (bad !== undefined) {
    throw new Error(`"${bad}" cannot be encoded in the item's Specific Character Set`);
  }
  return Buffer.from(text, encoding === 'ascii' ? 'latin1' : encoding);
}
