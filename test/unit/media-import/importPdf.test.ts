/**
 * Outside PDFs (issue 8, item 5): a PDF found on a disc becomes an Encapsulated PDF in the outside
 * study (same Study Instance UID), bound to the chosen local patient, in a series after the disc's
 * own, with the document bytes unchanged; a file that is not a PDF is refused with nothing written.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dcmjs from 'dcmjs';
import { afterAll, describe, expect, it } from 'vitest';
import { stationEquipment } from '../../../main/core/dicom/equipment';
import { findPdfs } from '../../../main/core/media-import/findPdfs';
import type { StudyGroup } from '../../../main/core/media-import/groupInstances';
import { importOutsidePdf } from '../../../main/core/media-import/importPdf';

const base = mkdtempSync(join(tmpdir(), 'media-pdf-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');
const study: StudyGroup = {
  studyInstanceUid: '1.2.826.0.1.3680043.2.1143.55.1',
  date: '20240102',
  description: 'Outside CT',
  accessionNumber: 'OUTACC1',
  modalities: ['CT'],
  seriesCount: 2,
  instanceCount: 2,
  series: [
    {
      seriesInstanceUid: '1.2.3.1',
      seriesNumber: '3',
      description: '',
      modality: 'CT',
      instances: [],
    },
    {
      seriesInstanceUid: '1.2.3.2',
      seriesNumber: '7',
      description: '',
      modality: 'CT',
      instances: [],
    },
  ],
};
const patient = {
  name: { alphabetic: 'Jørgensen^Åse' },
  id: 'LOC-42',
  issuer: 'HOSP',
  birthDate: '19800101',
  sex: 'F' as const,
};
const equipment = stationEquipment({ name: 'Import desk', aeTitle: 'CAPTURE1' }, 'host-1');

describe('outside PDFs', () => {
  it('are found on the medium, and only there', async () => {
    const disc = join(base, 'disc');
    mkdirSync(join(disc, 'REPORTS'), { recursive: true });
    writeFileSync(join(disc, 'REPORTS', 'Letter.PDF'), PDF);
    writeFileSync(join(disc, 'empty.pdf'), '');
    writeFileSync(join(base, 'outside.pdf'), PDF);
    symlinkSync(join(base, 'outside.pdf'), join(disc, 'escape.pdf'));
    const found = await findPdfs(disc);
    expect(found.map((f) => [f.shown, f.bytes])).toEqual([['REPORTS/Letter.PDF', PDF.length]]);
  });

  it('become Encapsulated PDF in the outside study, for the local patient', async () => {
    const source = join(base, 'Discharge letter.pdf');
    writeFileSync(source, PDF);
    const output = join(base, 'out.dcm');
    const result = await importOutsidePdf({
      pdf: source,
      patient,
      study,
      accessionNumber: 'ACC-9',
      equipment,
      output,
    });
    const bytes = await readFile(output);
    const parsed = dcmjs.data.DicomMessage.readFile(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
    );
    const data = dcmjs.data.DicomMetaDictionary.naturalizeDataset(parsed.dict);
    expect(result.sopClassUid).toBe('1.2.840.10008.5.1.4.1.1.104.1');
    expect(data.StudyInstanceUID).toBe(study.studyInstanceUid);
    expect(data.PatientID).toBe('LOC-42');
    expect(data.IssuerOfPatientID).toBe('HOSP');
    expect(data.AccessionNumber).toBe('ACC-9');
    expect(data.SeriesNumber).toBe(8);
    expect(data.DocumentTitle).toBe('Discharge letter');
    expect(data.Modality).toBe('DOC');
    const doc = Buffer.from((data.EncapsulatedDocument as ArrayBuffer[])[0] as ArrayBuffer);
    expect(doc.subarray(0, PDF.length)).toEqual(PDF);
  });

  it('refuse a file that is not a PDF and leave nothing behind', async () => {
    const fake = join(base, 'fake.pdf');
    writeFileSync(fake, 'PNG pretending');
    const folder = join(base, 'refused');
    mkdirSync(folder);
    await expect(
      importOutsidePdf({ pdf: fake, patient, study, equipment, output: join(folder, 'x.dcm') }),
    ).rejects.toThrow(/fake\.pdf.*not a PDF document/);
    expect(existsSync(join(folder, 'x.dcm'))).toBe(false);
    expect(await readdir(folder)).toEqual([]);
  });
});
