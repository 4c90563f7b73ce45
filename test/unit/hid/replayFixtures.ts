import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRecording, type Recording } from '../../../main/core/hid/recordedReports';

const FIXTURES = join(import.meta.dirname, 'fixtures');

export function recording(name: string): Recording {
  return parseRecording(JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')));
}
