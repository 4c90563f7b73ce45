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

  it('writes each patient into their own file when the RIS gave no Study Instance UID', async () => {
    const { station, home } = stationIn('general');
    // Old review records and RIS without UIDs give '' and the same step ID for everyone.
    const item = (name: string, id: string, accessionNumber: string): WorklistItem => ({
      key: '|1',
      patient: { name: { alphabetic: name }, id },
      accessionNumber,
      studyInstanceUid: '',
      requestedProcedureId: 'RP1',
      scheduledStepId: '1',
    });
    const capturedAt = '2026-11-28T10:15:00+01:00';
    const a = await shootAndSend(station, {
      item: item('Alpha^Anna', 'A1', 'ACC-A'),
      jpegBase64,
      capturedAt,
    });
    const b = await shootAndSend(station, {
      item: item('Beta^Bert', 'B2', 'ACC-B'),
      jpegBase64,
      capturedAt,
    });
    expect(b.patientId).toBe('B2');
    expect(b.studyInstanceUid).not.toBe(a.studyInstanceUid);
    const file = join(home, 'captures', `${b.sopInstanceUid}.dcm`);
    await expectValidDicom(file);
    const text = await dump(file);
    expect(text).toContain('Beta^Bert');
    expect(text).toContain('[B2]');
    expect(text).toContain('[ACC-B]');
    expect(text).toContain(b.studyInstanceUid);
    expect(text).not.toMatch(/Alpha\^Anna|\[A1\]|ACC-A/);
    await station.close();
  });

  it('leaves out a Requested Procedure ID the RIS did not give (Type 1C: never empty)', async () => {
    const { station, home } = stationIn('general');
    const saved = await shootAndSend(station, {
      item: {
        key: 'step-only',
        patient: { name: { alphabetic: 'Gamma^Gus' }, id: 'G3' },
        accessionNumber: 'ACC-G',
        studyInstanceUid: '1.2.826.0.1.3680043.2.1143.99.1',
        scheduledStepId: 'SPS-7',
      },
      jpegBase64,
      capturedAt: '2026-11-28T10:15:00+01:00',
    });
    const file = join(home, 'captures', `${saved.sopInstanceUid}.dcm`);
    await expectValidDicom(file);
    const text = await dump(file);
    expect(text).toContain('[SPS-7]');
    expect(text).not.toContain('(0040,1001)');
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
