import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { CaptureService } from '../../../main/core/capture/CaptureService';
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
  const saveVideo = vi.fn((file: string) => Promise.resolve({ file } as never));
  return {
    folder,
    saveVideo,
    recordings: new RecordingService(folder, { saveVideo } as unknown as CaptureService),
  };
}

describe('RecordingService', () => {
  it('writes chunks to disk in order and hands the finished file over with its context', async () => {
    const { recordings, saveVideo } = service();
    const { recordingId } = await recordings.start(start);
    await Promise.all([
      recordings.append({ recordingId, seq: 0, dataBase64: b64('abc') }),
      recordings.append({ recordingId, seq: 1, dataBase64: b64('def') }),
    ]);
    await recordings.stop(recordingId);
    const [file, capture] = saveVideo.mock.calls[0] as unknown as [string, Record<string, unknown>];
    expect(readFileSync(file, 'utf8')).toBe('abcdef');
    expect(capture).toEqual({ item, region: start.region, capturedAt: start.startedAt });
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

  it('refuses an empty recording and an unknown one', async () => {
    const { recordings } = service();
    const { recordingId } = await recordings.start(start);
    await expect(recordings.stop(recordingId)).rejects.toThrow(/recording is empty/);
    await expect(recordings.append({ recordingId, seq: 0, dataBase64: '' })).rejects.toThrow(
      /no recording .* is in progress/,
    );
  });
});
