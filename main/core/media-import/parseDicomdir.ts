/**
 * Parses a DICOMDIR (Media Storage Directory, PS3.3 F.3/F.5; PS3.10 8.6) with dcmjs and lists its
 * directory records: type (PATIENT, STUDY, SERIES, IMAGE, …) and Referenced File ID components.
 * Grouping is done from the instances' own headers later (they are authoritative); the records
 * only say which files the medium holds.
 */
import dcmjs, { type DicomJsonDataset } from 'dcmjs';
import { MediaFileError } from './types';

export interface DirectoryRecord {
  /** Directory Record Type (0004,1430). */
  readonly type: string;
  /** Referenced File ID (0004,1500) components, as written. */
  readonly fileId: readonly string[];
}

const DIRECTORY_RECORD_SEQUENCE = '00041220';
const DIRECTORY_RECORD_TYPE = '00041430';
const REFERENCED_FILE_ID = '00041500';
/** A DICOMDIR for a full DVD is a few MB; anything bigger is refused rather than read. */
export const MAX_DICOMDIR_BYTES = 128 * 1024 * 1024;

function strings(dataset: DicomJsonDataset, tag: string): string[] {
  const values = dataset[tag]?.Value ?? [];
  return values.filter((v): v is string => typeof v === 'string').map((v) => v.trim());
}

/** Throws MediaFileError when the bytes are not a readable DICOMDIR. */
export function parseDicomdir(bytes: Buffer): DirectoryRecord[] {
  let dict: DicomJsonDataset;
  try {
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
    dict = dcmjs.data.DicomMessage.readFile(buffer as ArrayBuffer).dict;
  } catch (error) {
    throw new MediaFileError(`DICOMDIR cannot be parsed: ${(error as Error).message}`);
  }
  const items = dict[DIRECTORY_RECORD_SEQUENCE]?.Value;
  if (!Array.isArray(items)) throw new MediaFileError('DICOMDIR has no Directory Record Sequence');
  return items.flatMap((item): DirectoryRecord[] => {
    if (typeof item !== 'object' || item === null) return [];
    const record = item as DicomJsonDataset;
    const type = strings(record, DIRECTORY_RECORD_TYPE)[0] ?? '';
    const fileId = strings(record, REFERENCED_FILE_ID);
    return [{ type, fileId }];
  });
}
