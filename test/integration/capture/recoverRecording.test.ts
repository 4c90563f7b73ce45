/**
 * A recording the window closed on (no finish) reaches review at the next start, for the patient
 * it was of, and is sent as a valid video instance. Real remux (main/core/video), real dciodvfy.
 */
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStation } from '../../../main/core/station/createStation';
import type { SavedCapture } from '../../../preload/contract';
import { FixtureFactory } from '../../unit/video/fixtures';
import { expectValidDicom, runTool } from '../../services';

const fixtures = new FixtureFactory();
afterAll(() => fixtures.dispose());

describe('a recording left behind when the station closed', { timeout: 60_000 }, () => {
  it('is in review at the next start for its patient, and sends as a valid video', async () => {
    const home = mkdtempSync(join(tmpdir(), 'cs-recover-'));
    writeFileSync(
      join(home, 'config.json'),
      JSON.stringify({ station: { aeTitle: 'ENDO1', name: 'Endoscopy', department: 'endoscopy' } }),
    );
    const captureSink = (file: string, saved: SavedCapture) => {
      mkdirSync(join(home, 'captures'), { recursive: true });
      renameSync(file, join(home, 'captures', `${saved.sopInstanceUid}.dcm`));
      return Promise.resolve();
    };
    const open = () => createStation({ env: { CAPTURE_STATION_HOME: home }, captureSink });

    const first = open();
    const item = await first.handlers.startUnscheduled({
      patient: { name: { alphabetic: 'Beta^Bert' }, id: 'B2' },
    });
    const { recordingId } = await first.handlers.startRecording({
      item,
      mimeType: 'video/mp4;codecs=avc1.640028',
      region: { code: '69695003' },
      startedAt: '2026-11-28T10:00:00+01:00',
    });
    const bytes = readFileSync(await fixtures.get('fragmented'));
    await first.handlers.appendRecording({
      recordingId,
      seq: 0,
      dataBase64: bytes.toString('base64'),
    });
    await first.close(); // the window closed: no finishRecording

    const next = open();
    try {
      const listed = await next.handlers.listReview({});
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({ medium: 'video', item, recovered: true });
      // Said in review, not in its notes: those become the object's Image Comments.
      expect(listed[0]?.notes).toBeUndefined();
      expect(readdirSync(join(home, 'recordings'))).toEqual([]);

      const sent = await next.handlers.sendReviewed({ ids: [listed[0]?.id ?? ''] });
      expect(sent.failed).toEqual([]);
      const saved = sent.sent[0]?.saved;
      expect(saved?.patientId).toBe('B2');
      const file = join(home, 'captures', `${saved?.sopInstanceUid}.dcm`);
      await expectValidDicom(file);
      const dump = (await runTool('dcmdump', ['+U8', file])).stdout.toString('utf8');
      expect(dump).toContain('Beta^Bert');
      expect(dump).toContain(item.studyInstanceUid);
    } finally {
      await next.close();
    }
  });
});
