import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecordingService } from '../../../main/core/capture/RecordingService';
import type { WorklistItem } from '../../../preload/contract';

const item: WorklistItem = {
  key: 'k',
  patient: { name: { alphabetic: 'Doe^Jane' }, id: 'P1' },
  accessionNumber: 'A1',
  studyInstanceUid: '2.25.1',
};
const start = {
  item,
  mimeType: 'video/mp4;codecs=avc1.640028',
  region: { code: '71854001' },
  startedAt: '2026-11-28T10:00:00+01:00',
};
const b64 = (text: string) => Buffer.from(text).toString('base64');

function service() {
  const folder = mkdtempSync(join(tmpdir(), 'cs-rec-'));
  return { folder, recordings: new RecordingService(folder) };
}

describe('RecordingService', () => {
  it('writes chunks to disk in order and hands the finished file over with its context', async () => {
    const { recordings } = service();
    const { recordingId } = await recordings.start(start);
    await Promise.all([
      recordings.append({ recordingId, seq: 0, dataBase64: b64('abc') }),
      recordings.append({ recordingId, seq: 1, dataBase64: b64('def') }),
    ]);
    const finished = await recordings.finish(recordingId);
    expect(readFileSync(finished.file, 'utf8')).toBe('abcdef');
    expect(finished.start).toEqual(start);
    // Finished recordings are forgotten: a late chunk is refused.
    await expect(recordings.append({ recordingId, seq: 2, dataBase64: b64('g') })).rejects.toThrow(
      /no recording .* is in progress/,
    );
  });

  it('refuses a gap or a repeat, keeping what was written', async () => {
    const { recordings } = service();
    const { recordingId } = await recordings.start(start);
    await recordings.append({ recordingId, seq: 0, dataBase64: b64('abc') });
    await expect(recordings.append({ recordingId, seq: 2, dataBase64: b64('x') })).rejects.toThrow(
      'recording chunk 2 arrived, 1 was expected',
    );
    await expect(recordings.append({ recordingId, seq: 0, dataBase64: b64('x') })).rejects.toThrow(
      /1 was expected/,
    );
    expect((await recordings.append({ recordingId, seq: 1, dataBase64: b64('d') })).bytes).toBe(4);
  });

  it('refuses at start an item no study can be found for, before any file exists', async () => {
    const { folder, recordings } = service();
    const unplaceable = { ...item, accessionNumber: '', studyInstanceUid: '' };
    await expect(recordings.start({ ...start, item: unplaceable })).rejects.toThrow(
      /no Study Instance UID/,
    );
    expect(readdirSync(folder)).toEqual([]);
  });

  it('refuses an empty recording and an unknown one', async () => {
    const { recordings } = service();
    const { recordingId } = await recordings.start(start);
    await expect(recordings.finish(recordingId)).rejects.toThrow(/recording is empty/);
    await expect(recordings.append({ recordingId, seq: 0, dataBase64: '' })).rejects.toThrow(
      /no recording .* is in progress/,
    );
  });
});
