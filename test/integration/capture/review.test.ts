import { mkdirSync, mkdtempSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../main/core/rpc/dispatch';
import { createStation, type Station } from '../../../main/core/station/createStation';
import type { SavedCapture, WorklistItem } from '../../../preload/contract';
import type { ReviewItem, SendOutcome } from '../../../preload/features/review';
import { expectValidDicom, runTool } from '../../services';

const item: WorklistItem = {
  key: 'k-review',
  patient: { name: { alphabetic: 'Müller^Jürgen' }, id: 'PID-100234', sex: 'M' },
  accessionNumber: 'ACC-1',
  studyInstanceUid: '2.25.1234567890',
};

function stationIn(department: string, home = mkdtempSync(join(tmpdir(), 'cs-review-'))) {
  writeFileSync(
    join(home, 'config.json'),
    JSON.stringify({ station: { aeTitle: 'CAPTURE1', name: 'Clinic', department } }),
  );
  // The sink stands in for the outbox (tested on its own): keep each instance where we can read it.
  const captureSink = (file: string, saved: SavedCapture) => {
    mkdirSync(join(home, 'captures'), { recursive: true });
    renameSync(file, join(home, 'captures', `${saved.sopInstanceUid}.dcm`));
    return Promise.resolve();
  };
  const station = createStation({ env: { CAPTURE_STATION_HOME: home }, captureSink });
  return { station, home, captures: () => readdirSync(join(home, 'captures')) };
}

async function call<T>(station: Station, method: string, payload: unknown): Promise<T> {
  const result = await dispatch(station.handlers, method, payload);
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value as T;
}

async function dump(file: string): Promise<string> {
  return (await runTool('dcmdump', ['+U8', file])).stdout.toString('utf8');
}

describe('review before sending, through the contract', () => {
  let jpegBase64: string;
  beforeAll(async () => {
    const jpeg = await sharp({
      create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 40, b: 40 } },
    })
      .jpeg({ quality: 90 })
      .toBuffer();
    jpegBase64 = jpeg.toString('base64');
  });

  it('holds a wound photo until Send, then wraps it with the reviewed body site, notes and wound label', async () => {
    const { station, home, captures } = stationIn('woundcare');
    const still = { item, jpegBase64, capturedAt: '2026-11-28T10:00:00+01:00' };
    const held = await call<ReviewItem>(station, 'reviewStill', {
      ...still,
      region: { code: '818981001' },
    });
    expect(readdirSync(join(home, 'review')).sort()).toEqual([`${held.id}.jpg`, `${held.id}.json`]);
    expect(() => captures()).toThrow();

    // A second station on the same data folder (a restart) lists it again.
    await station.close();
    const again = stationIn('woundcare', home);
    expect(await call<ReviewItem[]>(again.station, 'listReview', {})).toEqual([held]);

    const edited = await call<ReviewItem>(again.station, 'editReview', {
      id: held.id,
      edits: {
        region: { code: '56459004', laterality: 'R' },
        notes: 'after debridement',
        woundLabel: 'Wound A',
      },
    });
    expect(edited).toMatchObject({ notes: 'after debridement', woundLabel: 'Wound A' });
    const outcome = await call<SendOutcome>(again.station, 'sendReviewed', { ids: [held.id] });
    expect(outcome.failed).toEqual([]);
    const [file = ''] = again.captures();
    await expectValidDicom(join(home, 'captures', file));
    const text = await dump(join(home, 'captures', file));
    expect(text).toContain('(0008,103e) LO [Wound A]');
    expect(text).toContain('(0020,4000) LT [after debridement]');
    expect(text).toContain('(0020,0062) CS [R]');
    expect(text).toContain('56459004');
    expect(text).toContain('PID-100234');
    expect(await call<ReviewItem[]>(again.station, 'listReview', {})).toEqual([]);
    expect(readdirSync(join(home, 'review'))).toEqual([]);
    await again.station.close();
  });

  it('puts each wound label in its own series, named by Series Description', async () => {
    const { station, home, captures } = stationIn('woundcare');
    const labels = ['Wound A', 'Wound B', 'Wound A'];
    const ids: string[] = [];
    for (const woundLabel of labels) {
      const held = await call<ReviewItem>(station, 'reviewStill', {
        item,
        jpegBase64,
        capturedAt: new Date().toISOString(),
        region: { code: '818981001' },
      });
      await call(station, 'editReview', { id: held.id, edits: { woundLabel } });
      ids.push(held.id);
    }
    const outcome = await call<SendOutcome>(station, 'sendReviewed', { ids });
    expect(outcome.sent.map((s) => [s.saved.seriesNumber, s.saved.instanceNumber])).toEqual([
      [1, 1],
      [2, 1],
      [1, 2],
    ]);
    const texts = await Promise.all(captures().map((file) => dump(join(home, 'captures', file))));
    const descriptions = texts.map((text) => /\(0008,103e\) LO \[([^\]]*)\]/.exec(text)?.[1]);
    expect(descriptions.sort()).toEqual(['Wound A', 'Wound A', 'Wound B']);
    await station.close();
  });

  it('refuses to send a wound photo without a body site, and deletes only when confirmed', async () => {
    const { station, home } = stationIn('woundcare');
    const held = await call<ReviewItem>(station, 'reviewStill', {
      item,
      jpegBase64,
      capturedAt: new Date().toISOString(),
    });
    const outcome = await call<SendOutcome>(station, 'sendReviewed', { ids: [held.id] });
    expect(outcome.sent).toEqual([]);
    expect(outcome.failed).toEqual([
      { id: held.id, message: 'choose the body site before sending: wound photos need it' },
    ]);
    const unconfirmed = await dispatch(station.handlers, 'deleteReview', { id: held.id });
    expect(unconfirmed).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    await call(station, 'deleteReview', { id: held.id, confirmed: true });
    expect(readdirSync(join(home, 'review'))).toEqual([]);
    const gone = await dispatch(station.handlers, 'sendReviewed', { ids: [held.id] });
    expect(gone).toMatchObject({
      ok: true,
      value: { failed: [{ message: expect.stringMatching(/is not in review/) as unknown }] },
    });
    await station.close();
  });

  it.each([
    [
      { polarization: 'POLARIZED', contact: 'NON_CONTACT', magnification: 10 },
      ['(0016,1001) CS [POLARIZED]', '(0016,1003) CS [NON_CONTACT]', '(0016,1005) DS [10]'],
    ],
    [
      {
        polarization: 'NON_POLARIZED',
        contact: 'CONTACT',
        immersion: 'ALCOHOL',
        magnification: 12.5,
      },
      [
        '(0016,1001) CS [NON_POLARIZED]',
        '(0016,1003) CS [CONTACT]',
        '(0016,1004) CS [ALCOHOL]',
        '(0016,1005) DS [12.5]',
      ],
    ],
    [
      { contact: 'CONTACT' },
      [
        '(0016,1003) CS [CONTACT]',
        '(0016,1004) CS (no value available)',
        '(0016,1001) CS (no value available)',
      ],
    ],
  ])(
    'writes dermoscope optics %j set in review into the Dermoscopic Image Module, valid to dciodvfy',
    async (dermoscopy, expected) => {
      const { station, home, captures } = stationIn('dermatology');
      const held = await call<ReviewItem>(station, 'reviewStill', {
        item,
        jpegBase64,
        capturedAt: new Date().toISOString(),
        dermoscope: true,
        region: { code: '818981001' },
      });
      await call(station, 'editReview', { id: held.id, edits: { dermoscopy } });
      await call(station, 'sendReviewed', { ids: [held.id] });
      const file = join(home, 'captures', captures()[0] ?? '');
      await expectValidDicom(file);
      const text = await dump(file);
      for (const line of expected) expect(text).toContain(line);
      expect(text).toContain('(0008,0060) CS [DMS]');
      await station.close();
    },
  );

  it('refuses bytes that are not a JPEG at the shutter, naming the field and keeping nothing', async () => {
    const { station, home } = stationIn('general');
    const result = await dispatch(station.handlers, 'reviewStill', {
      item,
      jpegBase64: Buffer.from('not a jpeg at all').toString('base64'),
      capturedAt: new Date().toISOString(),
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'failed' } });
    expect((result as { error: { message: string } }).error.message).toMatch(
      /^jpegBase64: the still is not a usable JPEG/,
    );
    expect(() => readdirSync(join(home, 'review'))).toThrow();
    await station.close();
  });
});
