import { randomUUID } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { RecordingService } from '../../../main/core/capture/RecordingService';
import { ReviewService } from '../../../main/core/capture/ReviewService';
import { ReviewStore } from '../../../main/core/capture/ReviewStore';
import {
  keptRecordingMessage,
  recoverRecordings,
} from '../../../main/core/capture/recoverRecordings';
import type { VideoPreparer } from '../../../main/core/dicom/videoTypes';
import type { Logger } from '../../../main/core/log/Logger';
import type { RecordingStart } from '../../../preload/contract';

/**
 * A recording left behind when the window closed (while recording, or while it was remuxed) used
 * to stay in <data>/recordings, read by nobody: the video never reached review and nobody knew.
 */
const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const b64 = (text: string) => Buffer.from(text).toString('base64');

const start: RecordingStart = {
  item: {
    key: 'k-b',
    patient: { name: { alphabetic: 'Beta^Bert' }, id: 'B2' },
    accessionNumber: 'ACC-B',
    studyInstanceUid: '2.25.42',
  },
  mimeType: 'video/mp4;codecs=avc1.640028',
  region: { code: '69695003' },
  startedAt: '2026-11-28T10:00:00+01:00',
};

/** Stands in for the remux: copies the recording as the prepared MP4. */
const copyingPreparer = vi.fn<VideoPreparer>((input, workDir) => {
  const file = join(workDir, 'prepared.mp4');
  copyFileSync(input, file);
  return Promise.resolve({ file, transferSyntaxUid: '1.2.840.10008.1.2.4.102' } as never);
});

function station(home: string, prepareVideo: VideoPreparer = copyingPreparer) {
  const recordings = new RecordingService(join(home, 'recordings'));
  const store = new ReviewStore(join(home, 'review'), quiet);
  const review = new ReviewService({
    store,
    capture: { send: () => Promise.reject(new Error('not sent here')) },
    department: 'endoscopy',
    workFolder: join(home, 'work'),
    prepareVideo,
    log: quiet,
  });
  return { recordings, store, review, recover: () => recoverRecordings(recordings, review, quiet) };
}

/** Starts a recording, writes two chunks, and closes as the window does: no finish. */
async function leftBehind(home: string) {
  const first = station(home);
  const { recordingId } = await first.recordings.start(start);
  await first.recordings.append({ recordingId, seq: 0, dataBase64: b64('moov') });
  await first.recordings.append({ recordingId, seq: 1, dataBase64: b64('moof') });
  await first.recordings.close();
  return recordingId;
}

describe('recordings left behind when the station closed', () => {
  it('are in review at the next start, for the right patient, saying they were recovered', async () => {
    const home = mkdtempSync(join(tmpdir(), 'cs-recover-'));
    await leftBehind(home);

    const next = station(home);
    const outcome = await next.recover();
    expect(outcome.kept).toEqual([]);
    expect(outcome.recovered).toHaveLength(1);
    const [item] = await next.review.list();
    expect(item).toMatchObject({
      medium: 'video',
      item: start.item,
      region: start.region,
      capturedAt: start.startedAt,
      recovered: true,
    });
    expect(item?.notes).toBeUndefined(); // notes become Image Comments: review says it instead
    expect(readFileSync(next.store.mediaPath(await next.store.get(item?.id ?? '')), 'utf8')).toBe(
      'moovmoof',
    );
    expect((await next.store.list())[0]?.recovered).toBe(true);
    // A cut last fragment is accepted; the whole fragments before it are kept.
    expect(copyingPreparer.mock.calls.at(-1)?.[2]).toMatchObject({ recoverTruncated: true });
    expect(readdirSync(join(home, 'recordings'))).toEqual([]);
    // And only once.
    expect((await station(home).recover()).recovered).toEqual([]);
  });

  it('are kept and reported with size and time when their patient is not known', async () => {
    const home = mkdtempSync(join(tmpdir(), 'cs-recover-'));
    const recordingId = await leftBehind(home);
    const folder = join(home, 'recordings');
    writeFileSync(join(folder, `recording-${recordingId}.json`), '{"version":1');
    const anonymous = join(folder, `recording-${randomUUID()}.mkv`);
    writeFileSync(anonymous, 'webm bytes');

    const { kept, recovered } = await station(home).recover();
    expect(recovered).toEqual([]);
    expect(kept.map((k) => [k.bytes, k.reason])).toEqual(
      expect.arrayContaining([
        [8, expect.stringMatching(/record of its patient cannot be read/)],
        [10, expect.stringMatching(/no record of its patient was written/)],
      ]),
    );
    expect(kept.every((k) => existsSync(k.file))).toBe(true);
    expect(keptRecordingMessage(kept[0]!)).toMatch(/MB\) was left behind .* It is kept at \//);
  });

  it('are kept, with their metadata for the next start, when the remux fails', async () => {
    const home = mkdtempSync(join(tmpdir(), 'cs-recover-'));
    await leftBehind(home);
    const refusing: VideoPreparer = () => Promise.reject(new Error('not a video'));
    const { kept } = await station(home, refusing).recover();
    expect(kept[0]?.reason).toMatch(/not a video/);
    expect(readdirSync(join(home, 'recordings'))).toHaveLength(2);
    expect((await station(home).recover()).recovered).toHaveLength(1);
  });

  it('are not held twice when the station closed after holding one but before removing it', async () => {
    const home = mkdtempSync(join(tmpdir(), 'cs-recover-'));
    const first = station(home);
    const { recordingId } = await first.recordings.start(start);
    await first.recordings.append({ recordingId, seq: 0, dataBase64: b64('abc') });
    const { file } = await first.recordings.finish(recordingId);
    const metadata = join(home, 'recordings', `recording-${recordingId}.json`);
    const saved = [readFileSync(file), readFileSync(metadata)] as const;
    await first.review.holdVideo(file, start);
    writeFileSync(file, saved[0]); // as if the removal had not happened
    writeFileSync(metadata, saved[1]);

    const next = station(home);
    expect(await next.recover()).toEqual({ recovered: [], kept: [] });
    expect(await next.review.list()).toHaveLength(1);
    expect(readdirSync(join(home, 'recordings'))).toEqual([]);
  });

  it('leave recordings of this run alone, and drop empty ones', async () => {
    const home = mkdtempSync(join(tmpdir(), 'cs-recover-'));
    const empty = station(home);
    await empty.recordings.start(start);
    await empty.recordings.close();

    const running = station(home);
    const { recordingId } = await running.recordings.start(start);
    await running.recordings.append({ recordingId, seq: 0, dataBase64: b64('live') });
    expect(await running.recover()).toEqual({ recovered: [], kept: [] });
    expect(readdirSync(join(home, 'recordings')).sort()).toEqual([
      `recording-${recordingId}.json`,
      `recording-${recordingId}.mp4`,
    ]);
    expect((await running.recordings.finish(recordingId)).file).toMatch(/\.mp4$/);
  });
});

describe('remux scratch a previous run left behind', () => {
  it('is removed at start, leaving the rest of the work folder alone', async () => {
    const home = mkdtempSync(join(tmpdir(), 'cs-scratch-'));
    const work = join(home, 'work');
    mkdirSync(join(work, '.review-abc123'), { recursive: true });
    writeFileSync(join(work, '.review-abc123', 'prepared.mp4'), 'half a remux');
    writeFileSync(join(work, 'other.dcm'), 'not scratch');
    await station(home).review.removeScratchLeftBehind();
    expect(readdirSync(work)).toEqual(['other.dcm']);
  });
});
