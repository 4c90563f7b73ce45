import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface DictionaryEntry {
  /** 'gggg,eeee', lower-case hex, as dump2dcm reads it. */
  readonly tag: string;
  readonly vr: string;
}

let cache: ReadonlyMap<string, DictionaryEntry> | undefined;

/**
 * Keyword → tag from DCMTK's own data dictionary (dicom.dic of libdcmtk, the one dump2dcm uses),
 * so fixtures may use any standard keyword. Repeating-group entries (60xx, 50xx) are left out.
 * Throws if the dictionary cannot be found (dcmtk not installed).
 */
export function dcmtkKeyword(keyword: string): DictionaryEntry {
  cache ??= loadDictionary();
  const entry = cache.get(keyword);
  if (entry === undefined) throw new Error(`"${keyword}" is not a DICOM keyword in dicom.dic`);
  return entry;
}

function loadDictionary(): ReadonlyMap<string, DictionaryEntry> {
  const map = new Map<string, DictionaryEntry>();
  for (const line of readFileSync(findDictionary(), 'utf8').split('\n')) {
    const match = /^\(([0-9A-Fa-f]{4}),([0-9A-Fa-f]{4})\)\t(\w+)\t(\w+)\t/.exec(line);
    if (match === null) continue;
    const [, group = '', element = '', vr = '', keyword = ''] = match;
    map.set(keyword, { tag: `${group},${element}`.toLowerCase(), vr });
  }
  return map;
}

function findDictionary(): string {
  const fromEnv = process.env.DCMDICTPATH?.split(':').find((file) => file.endsWith('dicom.dic'));
  if (fromEnv !== undefined && existsSync(fromEnv)) return fromEnv;
  const share = '/usr/share';
  const lib = readdirSync(share)
    .filter((name) => name.startsWith('libdcmtk'))
    .map((name) => path.join(share, name, 'dicom.dic'))
    .find((file) => existsSync(file));
  if (lib === undefined) throw new Error('dcmtk is not installed: run `apt-get install -y dcmtk`');
  return lib;
}
