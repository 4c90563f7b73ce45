/**
 * Issue 6, item 3: a finished recording is made into a standard MP4 with a progress bar and an
 * estimate of the time left. Through the station: record (one chunk: a fragmented MP4 as
 * MediaRecorder writes it), finish, and read the `videoProgress` events the renderer shows.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStation } from '../../../main/core/station/createStation';
import type { EventPayload } from '../../../preload/contract';
import { FixtureFactory } from '../../unit/video/fixtures';

const fixtures = new FixtureFactory();
afterAll(() => fixtures.dispose());

describe('finishing a recording', { timeout: 60_000 }, () => {
  it('reports progress to the end, with the time left, for that recording only', async () => {
    const home = mkdtempSync(join(tmpdir(), 'cs-video-progress-'));
    writeFileSync(
      join(home, 'config.json'),
      JSON.stringify({ station: { aeTitle: 'ENDO1', name: 'Endoscopy', department: 'endoscopy' } }),
    );
    const station = createStation({ env: { CAPTURE_STATION_HOME: home } });
    const seen: EventPayload<'videoProgress'>[] = [];
    station.onEvent((name, payload) => {
      if (name === 'videoProgress') seen.push(payload as EventPayload<'videoProgress'>);
    });
    try {
      const item = await station.handlers.startUnscheduled({
        patient: { name: { alphabetic: 'Doe^Jane' }, id: 'P-1' },
      });
      const { recordingId } = await station.handlers.startRecording({
        item,
        mimeType: 'video/mp4;codecs=avc1.640028',
        region: { code: '69695003' },
        startedAt: new Date().toISOString(),
      });
      const bytes = readFileSync(await fixtures.get('fragmented'));
      await station.handlers.appendRecording({
        recordingId,
        seq: 0,
        dataBase64: bytes.toString('base64'),
      });
      const held = await station.handlers.finishRecording({ recordingId });
      expect(held.medium).toBe('video');

      expect(seen.length).toBeGreaterThan(0);
      expect(new Set(seen.map((p) => p.recordingId))).toEqual(new Set([recordingId]));
      const fractions = seen.map((p) => p.fraction);
      expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
      expect(seen.at(-1)).toEqual({ recordingId, fraction: 1, secondsLeft: 0 });
    } finally {
      await station.close();
    }
  });
});
