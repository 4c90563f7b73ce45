import { mkdtempSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dcmjs from 'dcmjs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { CaptureService } from '../../../main/core/capture/CaptureService';
import { studyUidFor } from '../../../main/core/capture/procedureIdentity';
import { parseConfigText } from '../../../main/core/config/loadConfig';
import type { Logger } from '../../../main/core/log/Logger';
import type { SavedCapture, WorklistItem } from '../../../preload/contract';

/**
 * The patient, study and accession in a file come from that capture's own worklist item. A cache
 * of one session per Study Instance UID once wrote the first patient's name, ID and accession
 * into every later capture whose item had no UID (or the same UID after a RIS correction).
 */
const { DicomMessage, DicomMetaDictionary } = dcmjs.data;
const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

interface Written {
  readonly saved: SavedCapture;
  readonly data: Record<string, unknown>;
}

async function setup() {
  const home = mkdtempSync(join(tmpdir(), 'cs-capture-service-'));
  const jpeg = join(home, 'still.jpg');
  await writeFile(
    jpeg,
    await sharp({ create: { width: 8, height: 8, channels: 3, background: '#804020' } })
      .jpeg()
      .toBuffer(),
  );
  const written: Written[] = [];
  const service = new CaptureService({
    config: parseConfigText(
      JSON.stringify({ station: { aeTitle: 'CAPTURE1', name: 'Test', department: 'general' } }),
      'config.json',
    ),
    workFolder: join(home, 'work'),
    log: quiet,
    sink: async (file, saved) => {
      const bytes = await readFile(file);
      const parsed = DicomMessage.readFile(
        bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
        { untilTag: '7FE00010' },
      );
      written.push({ saved, data: DicomMetaDictionary.naturalizeDataset(parsed.dict) });
    },
  });
  const send = async (item: WorklistItem): Promise<Written> => {
    await service.send(jpeg, { item, medium: 'still', capturedAt: '2026-03-01T10:00:00Z' });
    const last = written.at(-1);
    if (!last) throw new Error('nothing written');
    return last;
  };
  return { send };
}

const withoutUid = (name: string, id: string, accession: string): WorklistItem => ({
  key: `|1`,
  patient: { name: { alphabetic: name }, id },
  accessionNumber: accession,
  studyInstanceUid: '',
  scheduledStepId: '1',
});

describe('CaptureService binds each capture to its own item', () => {
  it('writes patient B into B’s file when A was sent first and the RIS gave no Study UID', async () => {
    const { send } = await setup();
    const a = await send(withoutUid('Alpha^Anna', 'A1', 'ACC-A'));
    const b = await send(withoutUid('Beta^Bert', 'B2', 'ACC-B'));
    expect(a.data).toMatchObject({ PatientID: 'A1', AccessionNumber: 'ACC-A' });
    expect(b.data).toMatchObject({ PatientID: 'B2', AccessionNumber: 'ACC-B' });
    expect(b.data.PatientName).toEqual([{ Alphabetic: 'Beta^Bert' }]);
    expect(b.data.StudyInstanceUID).not.toBe(a.data.StudyInstanceUID);
    expect(b.saved.studyInstanceUid).toBe(b.data.StudyInstanceUID);
    expect(b.data.StudyInstanceUID).toMatch(/^2\.25\.\d+$/);
  });

  it('keeps one derived study per procedure: same UID, one series, numbered on', async () => {
    const { send } = await setup();
    const item = withoutUid('Alpha^Anna', 'A1', 'ACC-A');
    const first = await send(item);
    const second = await send(item);
    expect(second.data.StudyInstanceUID).toBe(first.data.StudyInstanceUID);
    expect(second.data.StudyInstanceUID).toBe(studyUidFor(item));
    expect(second.data.SeriesInstanceUID).toBe(first.data.SeriesInstanceUID);
    expect([first.saved.instanceNumber, second.saved.instanceNumber]).toEqual([1, 2]);
  });

  it('carries a RIS correction under the same Study Instance UID into the next capture', async () => {
    const { send } = await setup();
    const item: WorklistItem = {
      key: 'k',
      patient: { name: { alphabetic: 'Smith^Jon' }, id: 'P7' },
      accessionNumber: 'ACC-1',
      studyInstanceUid: '2.25.77',
    };
    const before = await send(item);
    const after = await send({
      ...item,
      patient: { ...item.patient, name: { alphabetic: 'Smith^John' } },
      accessionNumber: 'ACC-1B',
    });
    expect(before.data.PatientName).toEqual([{ Alphabetic: 'Smith^Jon' }]);
    expect(after.data.PatientName).toEqual([{ Alphabetic: 'Smith^John' }]);
    expect(after.data.AccessionNumber).toBe('ACC-1B');
    expect(after.data.SeriesInstanceUID).toBe(before.data.SeriesInstanceUID);
    expect(after.saved.instanceNumber).toBe(2);
  });

  it('never continues another patient’s series under a shared Study Instance UID', async () => {
    const { send } = await setup();
    const shared = { accessionNumber: 'ACC', studyInstanceUid: '2.25.99', key: 'k' };
    const a = await send({ ...shared, patient: { name: { alphabetic: 'A^A' }, id: 'A1' } });
    const b = await send({ ...shared, patient: { name: { alphabetic: 'B^B' }, id: 'B2' } });
    expect(b.data.PatientID).toBe('B2');
    expect(b.data.SeriesInstanceUID).not.toBe(a.data.SeriesInstanceUID);
  });

  it('refuses an item with neither a Study UID nor any procedure ID, naming what to do', async () => {
    const { send } = await setup();
    const item: WorklistItem = {
      key: 'k',
      patient: { name: { alphabetic: 'X^Y' }, id: 'X1' },
      accessionNumber: '',
      studyInstanceUid: '',
    };
    await expect(send(item)).rejects.toThrow(/no Study Instance UID.*capture as unscheduled/);
  });
});
