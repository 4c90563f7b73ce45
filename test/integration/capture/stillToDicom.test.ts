import { mkdirSync, mkdtempSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../main/core/rpc/dispatch';
import { createStation, type Station } from '../../../main/core/station/createStation';
import type { BodySite, SavedCapture, WorklistItem } from '../../../preload/contract';
import { expectValidDicom, runTool } from '../../services';

async function cameraJpeg(): Promise<string> {
  const jpeg = await sharp({
    create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 40, b: 40 } },
  })
    .jpeg({ quality: 90 })
    .toBuffer();
  return jpeg.toString('base64');
}

function stationIn(department: string): { station: Station; home: string } {
  const home = mkdtempSync(join(tmpdir(), 'cs-capture-'));
  writeFileSync(
    join(home, 'config.json'),
    JSON.stringify({ station: { aeTitle: 'CAPTURE1', name: 'Wound clinic', department } }),
  );
  // The sink stands in for the outbox (tested on its own): keep each instance where we can read it.
  const captureSink = (file: string, saved: SavedCapture) => {
    mkdirSync(join(home, 'captures'), { recursive: true });
    renameSync(file, join(home, 'captures', `${saved.sopInstanceUid}.dcm`));
    return Promise.resolve();
  };
  return { station: createStation({ env: { CAPTURE_STATION_HOME: home }, captureSink }), home };
}

async function dump(file: string): Promise<string> {
  return (await runTool('dcmdump', ['+U8', file])).stdout.toString('utf8');
}

/** Shutter then Send, as the strip does: the still is held in review, then wrapped and spooled. */
async function shootAndSend(
  station: Station,
  still: { item: WorklistItem; jpegBase64: string; capturedAt: string; region?: BodySite },
): Promise<SavedCapture> {
  const held = await station.handlers.reviewStill(still);
  const sent = await station.handlers.sendReviewed({ ids: [held.id] });
  expect(sent.failed).toEqual([]);
  const saved = sent.sent[0]?.saved;
  if (!saved) throw new Error('nothing was sent');
  return saved;
}

describe('a still through the contract: shutter → review → Send', () => {
  let jpegBase64: string;
  beforeAll(async () => {
    jpegBase64 = await cameraJpeg();
  });

  it('binds an unscheduled capture to a new study for the chosen patient, valid to dciodvfy', async () => {
    const { station, home } = stationIn('woundcare');
    const patient = {
      name: { alphabetic: 'Müller^Jürgen' },
      id: 'PID-100234',
      birthDate: '19580314',
      sex: 'M' as const,
    };
    const started = await dispatch(station.handlers, 'startUnscheduled', { patient });
    expect(started.ok).toBe(true);
    const item = (started as { value: WorklistItem }).value;
    expect(item).toMatchObject({ accessionNumber: '', unscheduled: true, patient });
    expect(item.studyInstanceUid).toMatch(/^2\.25\.\d+$/);

    const results: SavedCapture[] = [];
    for (let i = 0; i < 2; i++) {
      results.push(
        await shootAndSend(station, {
          item,
          jpegBase64,
          capturedAt: new Date().toISOString(),
          region: { code: '818981001' },
        }),
      );
    }
    expect(results.map((r) => r.instanceNumber)).toEqual([1, 2]);
    expect(new Set(results.map((r) => r.seriesNumber)).size).toBe(1);
    expect(results[0]?.sopClassUid).toBe('1.2.840.10008.5.1.4.1.1.77.1.4');

    const files = readdirSync(join(home, 'captures')).sort();
    expect(files).toEqual(results.map((r) => `${r.sopInstanceUid}.dcm`).sort());
    const file = join(home, 'captures', `${results[0]?.sopInstanceUid}.dcm`);
    await expectValidDicom(file);
    const text = await dump(file);
    expect(text).toContain('Müller^Jürgen');
    expect(text).toContain(item.studyInstanceUid);
    expect(readdirSync(join(home, 'work'))).toEqual([]);
    await station.close();
  });

  it('makes endoscopy stills VL Endoscopic and keeps the worklist study and accession', async () => {
    const { station } = stationIn('endoscopy');
    const item: WorklistItem = {
      key: 'k1',
      patient: {
        name: { alphabetic: 'Yamada^Tarou', ideographic: '山田^太郎', phonetic: 'やまだ^たろう' },
        id: 'PID-100871',
      },
      accessionNumber: 'ACC-2026-0413',
      studyInstanceUid: '2.25.258824034953260546720167918651664299945',
      requestedProcedureDescription: 'Upper GI endoscopy',
    };
    const saved = await shootAndSend(station, {
      item,
      jpegBase64,
      capturedAt: '2026-11-28T10:15:00+01:00',
    });
    expect(saved).toMatchObject({
      sopClassUid: '1.2.840.10008.5.1.4.1.1.77.1.1',
      studyInstanceUid: item.studyInstanceUid,
    });
    await station.close();
  });
});
