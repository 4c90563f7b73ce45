import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it, vi } from 'vitest';
import { ReviewService } from '../../../main/core/capture/ReviewService';
import { ReviewStore } from '../../../main/core/capture/ReviewStore';
import type { Logger } from '../../../main/core/log/Logger';
import type { VideoPreparer } from '../../../main/core/dicom/videoTypes';
import type { WorklistItem } from '../../../preload/contract';

const item: WorklistItem = {
  key: 'k',
  patient: { name: { alphabetic: 'Doe^Jane' }, id: 'P1' },
  accessionNumber: 'A1',
  studyInstanceUid: '2.25.1',
};
/** A real 8×8 JPEG, as a camera would give (the shutter checks the header). */
const JPEG = await sharp({
  create: { width: 8, height: 8, channels: 3, background: { r: 200, g: 40, b: 40 } },
})
  .jpeg()
  .toBuffer();

function logger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    warnings,
    info: () => undefined,
    warn: (message: string, fields?: object) =>
      void warnings.push(`${message} ${JSON.stringify(fields)}`),
    error: () => undefined,
  };
}

function setup(department: 'woundcare' | 'general' | 'dermatology' = 'general') {
  const home = mkdtempSync(join(tmpdir(), 'cs-review-unit-'));
  const log = logger();
  const store = new ReviewStore(join(home, 'review'), log);
  const send = vi.fn((file: string, _capture: unknown) => {
    if (!existsSync(file)) throw new Error(`no media at ${file}`);
    return Promise.resolve({ sopInstanceUid: '2.25.9' } as never);
  });
  const prepareVideo: VideoPreparer = (input, workDir) => {
    const file = join(workDir, 'prepared.mp4');
    writeFileSync(file, `remuxed ${readFileSync(input, 'utf8')}`);
    return Promise.resolve({ file, method: 'remuxed' } as never);
  };
  const review = new ReviewService({
    store,
    capture: { send },
    department,
    workFolder: join(home, 'work'),
    prepareVideo,
    log,
  });
  return { home, log, store, review, send };
}

const still = (extra: object = {}) => ({
  item,
  jpegBase64: JPEG.toString('base64'),
  capturedAt: '2026-11-28T10:00:00+01:00',
  ...extra,
});

describe('ReviewStore and ReviewService', () => {
  it('keeps a still on disk with its record; a new store on the folder (a restart) lists it', async () => {
    const { home, review, log } = setup();
    const held = await review.addStill(still({ region: { code: '818981001' } }));
    const files = readdirSync(join(home, 'review')).sort();
    expect(files).toEqual([`${held.id}.jpg`, `${held.id}.json`]);
    expect(readFileSync(join(home, 'review', `${held.id}.jpg`))).toEqual(JPEG);
    const restarted = new ReviewStore(join(home, 'review'), log);
    const [record] = await restarted.list();
    expect(record).toMatchObject({ id: held.id, item, region: { code: '818981001' } });
  });

  it('removes temporaries of an interrupted write and keeps media that never got its record', async () => {
    const { home, review, log } = setup();
    await review.addStill(still());
    writeFileSync(join(home, 'review', '.tmp-abc-x.json'), '{"half');
    writeFileSync(join(home, 'review', '0b7f7c1e-2f7d-4d4c-9a55-3a3a1d1f0c11.jpg'), JPEG);
    const restarted = new ReviewStore(join(home, 'review'), log);
    expect(await restarted.list()).toHaveLength(1);
    expect(readdirSync(join(home, 'review'))).not.toContain('.tmp-abc-x.json');
    expect(readdirSync(join(home, 'review'))).toContain('0b7f7c1e-2f7d-4d4c-9a55-3a3a1d1f0c11.jpg');
    expect(log.warnings.join()).toMatch(/has no record \(kept\)/);
  });

  it('skips a record whose media is missing (a crash before the folder fsync), logging it', async () => {
    const { home, review, log } = setup();
    const kept = await review.addStill(still());
    const lost = await review.addStill(still());
    rmSync(join(home, 'review', `${lost.id}.jpg`));
    const errors: string[] = [];
    const restarted = new ReviewStore(join(home, 'review'), {
      ...log,
      error: (message: string) => void errors.push(message),
    });
    expect((await restarted.list()).map((c) => c.id)).toEqual([kept.id]);
    expect(errors).toEqual(['a review record names media that is not there (skipped)']);
  });

  it('applies edits durably, clears with null or an empty string, and refuses an unknown body site', async () => {
    const { review, store } = setup();
    const held = await review.addStill(still({ region: { code: '818981001' } }));
    await review.edit(held.id, { notes: 'left edge ', woundLabel: 'Wound A' });
    expect(await store.get(held.id)).toMatchObject({ notes: 'left edge ', woundLabel: 'Wound A' });
    const cleared = await review.edit(held.id, { region: null, notes: '  ' });
    expect(cleared.region).toBeUndefined();
    expect(cleared.notes).toBeUndefined();
    await expect(review.edit(held.id, { region: { code: '123456' } })).rejects.toThrow(
      'region: 123456 is not a body site of resources/anatomy/regions.json',
    );
    await expect(
      review.edit(held.id, { dermoscopy: { polarization: 'POLARIZED' } }),
    ).rejects.toThrow(/only a still taken through the dermoscope/);
  });

  it('sends with the reviewed values, then removes the capture from review', async () => {
    const { home, review, send } = setup('woundcare');
    const held = await review.addStill(still({ region: { code: '818981001' } }));
    await review.edit(held.id, { notes: 'n', woundLabel: 'Wound B' });
    const outcome = await review.send([held.id]);
    expect(outcome).toEqual({
      sent: [{ id: held.id, saved: { sopInstanceUid: '2.25.9' } }],
      failed: [],
    });
    expect(send.mock.calls[0]?.[1]).toMatchObject({
      item,
      medium: 'still',
      region: { code: '818981001' },
      notes: 'n',
      woundLabel: 'Wound B',
    });
    expect(readdirSync(join(home, 'review'))).toEqual([]);
    expect(await review.list()).toEqual([]);
  });

  it('keeps a capture in review when sending it fails, and sends the others', async () => {
    const { review, send } = setup();
    const first = await review.addStill(still());
    const second = await review.addStill(still());
    send.mockImplementationOnce(() => Promise.reject(new Error('the outbox is not available')));
    const outcome = await review.send([first.id, second.id]);
    expect(outcome.failed).toEqual([{ id: first.id, message: 'the outbox is not available' }]);
    expect(outcome.sent.map((s) => s.id)).toEqual([second.id]);
    expect((await review.list()).map((c) => c.id)).toEqual([first.id]);
  });

  it('refuses to send a dermoscope still or a wound photo without a body site, naming why', async () => {
    const derm = setup('dermatology');
    const dermoscope = await derm.review.addStill(still({ dermoscope: true }));
    const plain = await derm.review.addStill(still());
    const outcome = await derm.review.send([dermoscope.id, plain.id]);
    expect(outcome.failed).toEqual([
      {
        id: dermoscope.id,
        message: 'choose the body site before sending: dermoscope images need it',
      },
    ]);
    expect(outcome.sent.map((s) => s.id)).toEqual([plain.id]);
    const wound = setup('woundcare');
    const photo = await wound.review.addStill(still());
    expect((await wound.review.send([photo.id])).failed[0]?.message).toBe(
      'choose the body site before sending: wound photos need it',
    );
    expect(wound.send).not.toHaveBeenCalled();
  });

  it('runs an edit and a send of one capture one after the other, never interleaved', async () => {
    const { review, send } = setup();
    const held = await review.addStill(still());
    const editing = review.edit(held.id, { notes: 'written before sending' });
    const sending = review.send([held.id]);
    await editing;
    await sending;
    expect(send.mock.calls[0]?.[1]).toMatchObject({ notes: 'written before sending' });
  });

  it('remuxes a finished recording into review and removes the recording only then', async () => {
    const { home, review } = setup();
    const recording = join(home, 'recording.mp4');
    writeFileSync(recording, 'fragmented');
    const held = await review.holdVideo(recording, {
      item,
      mimeType: 'video/mp4',
      region: { code: '71854001' },
      startedAt: '2026-11-28T10:00:00+01:00',
    });
    expect(held).toMatchObject({ medium: 'video', region: { code: '71854001' }, bytes: 18 });
    expect(readFileSync(join(home, 'review', `${held.id}.mp4`), 'utf8')).toBe('remuxed fragmented');
    expect(existsSync(recording)).toBe(false);
    expect(readdirSync(join(home, 'work'))).toEqual([]);
  });

  it('keeps the recording and names it when it cannot be prepared', async () => {
    const { home, review } = setup();
    const recording = join(home, 'recording.mp4');
    await expect(
      review.holdVideo(recording, {
        item,
        mimeType: 'video/mp4',
        region: { code: '71854001' },
        startedAt: '2026-11-28T10:00:00+01:00',
      }),
    ).rejects.toThrow(`(the recording is kept at ${recording})`);
  });

  it('refuses a still that is not a JPEG, naming the field', async () => {
    const { review, home } = setup();
    await expect(
      review.addStill(still({ jpegBase64: Buffer.from('GIF89a').toString('base64') })),
    ).rejects.toThrow(/^jpegBase64: the still is not a usable JPEG/);
    expect(existsSync(join(home, 'review'))).toBe(false);
  });
});
