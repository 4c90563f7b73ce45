import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it, vi } from 'vitest';
import type { Capture } from '../../../main/core/capture/CaptureService';
import { ReviewService } from '../../../main/core/capture/ReviewService';
import { ReviewStore } from '../../../main/core/capture/ReviewStore';
import type { Logger } from '../../../main/core/log/Logger';
import type { VideoPreparer } from '../../../main/core/dicom/videoTypes';
import type { SavedCapture } from '../../../preload/contract';

/**
 * Send hands a capture to the outbox and then removes it from review. A stop between the two
 * used to leave it in review, to be sent again as a second instance; the SOP Instance UID is now
 * recorded first, and the next start asks the outbox whether it holds it.
 */
const JPEG = await sharp({
  create: { width: 8, height: 8, channels: 3, background: { r: 20, g: 140, b: 40 } },
})
  .jpeg()
  .toBuffer();

const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const unusedVideo: VideoPreparer = () => Promise.reject(new Error('no video here'));

type Send = (file: string, capture: Capture, sopInstanceUid?: string) => Promise<SavedCapture>;

function service(folder: string, send: Send, spooled?: (uid: string) => Promise<boolean>) {
  const store = new ReviewStore(folder, quiet);
  const review = new ReviewService({
    store,
    capture: { send },
    department: 'general',
    workFolder: join(folder, '..', 'work'),
    prepareVideo: unusedVideo,
    log: quiet,
    ...(spooled ? { spooled } : {}),
  });
  return { store, review };
}

function setup() {
  const folder = join(mkdtempSync(join(tmpdir(), 'cs-handoff-')), 'review');
  const outbox = new Set<string>();
  /** The outbox: takes the instance (durably, in real life) under the UID it was given. */
  const send = vi.fn<Send>((_file, capture, sopInstanceUid) => {
    outbox.add(sopInstanceUid ?? 'none');
    return Promise.resolve({ sopInstanceUid, capturedAt: capture.capturedAt } as SavedCapture);
  });
  const spooled = vi.fn((uid: string) => Promise.resolve(outbox.has(uid)));
  return { folder, outbox, send, spooled, ...service(folder, send, spooled) };
}

const still = {
  item: {
    key: 'k',
    patient: { name: { alphabetic: 'Doe^Jane' }, id: 'P1' },
    accessionNumber: 'A1',
    studyInstanceUid: '2.25.1',
  },
  jpegBase64: JPEG.toString('base64'),
  capturedAt: '2026-11-28T10:00:00+01:00',
};

const recordOf = (folder: string, id: string) =>
  JSON.parse(readFileSync(join(folder, `${id}.json`), 'utf8')) as { handoff?: object };

describe('the shutter', () => {
  it('refuses a worklist item no study can be found for, with what to do', async () => {
    const { folder, review } = setup();
    const item = { ...still.item, accessionNumber: '', studyInstanceUid: '' };
    await expect(review.addStill({ ...still, item })).rejects.toThrow(/capture as unscheduled/);
    expect(await review.list()).toEqual([]);
    expect(readdirSync(folder)).toEqual([]);
  });
});

describe('hand-off from review to the outbox', () => {
  it('records the SOP Instance UID durably before the outbox can take the instance, and wraps with it', async () => {
    const { folder, review, send } = setup();
    const held = await review.addStill(still);
    send.mockImplementationOnce((_file, capture, sopInstanceUid) => {
      // At the moment of hand-off the record on disk already names the UID.
      expect(recordOf(folder, held.id).handoff).toEqual({ sopInstanceUid });
      return Promise.resolve({ sopInstanceUid, capturedAt: capture.capturedAt } as SavedCapture);
    });
    const outcome = await review.send([held.id]);
    const uid = send.mock.calls[0]?.[2];
    expect(uid).toMatch(/^2\.25\.\d+$/);
    expect(outcome.sent[0]?.saved.sopInstanceUid).toBe(uid);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('after a stop between the outbox taking a capture and its removal, the next start removes it instead of sending it twice', async () => {
    const { folder, store, review, send, spooled } = setup();
    const held = await review.addStill(still);
    vi.spyOn(store, 'remove').mockRejectedValueOnce(new Error('the station stopped'));
    expect((await review.send([held.id])).failed).toHaveLength(1);
    expect(send).toHaveBeenCalledTimes(1);

    const restarted = service(folder, send, spooled);
    expect(await restarted.review.list()).toEqual([]);
    expect(readdirSync(folder)).toEqual([]);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('a capture the outbox never took waits for Send again, unmarked, and is then sent once', async () => {
    const { folder, review, send, spooled, outbox } = setup();
    const held = await review.addStill(still);
    send.mockRejectedValueOnce(new Error('disk full'));
    expect((await review.send([held.id])).failed[0]?.message).toBe('disk full');
    expect(recordOf(folder, held.id).handoff).toBeDefined();

    const restarted = service(folder, send, spooled);
    expect((await restarted.review.list()).map((c) => c.id)).toEqual([held.id]);
    expect(recordOf(folder, held.id).handoff).toBeUndefined();
    expect((await restarted.review.send([held.id])).sent).toHaveLength(1);
    expect(outbox.size).toBe(1);
  });

  it('keeps the mark when the outbox cannot be asked, and still lists the capture', async () => {
    const { folder, store, review, send } = setup();
    const held = await review.addStill(still);
    vi.spyOn(store, 'remove').mockRejectedValueOnce(new Error('the station stopped'));
    await review.send([held.id]);

    const broken = () => Promise.reject(new Error('the outbox did not open'));
    const restarted = service(folder, send, broken);
    expect((await restarted.review.list()).map((c) => c.id)).toEqual([held.id]);
    expect(recordOf(folder, held.id).handoff).toBeDefined();
  });
});
