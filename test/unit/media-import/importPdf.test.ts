/**
 * Outside PDFs (issue 8, item 5): a PDF found on a disc becomes an Encapsulated PDF in the outside
 * study (same Study Instance UID), bound to the chosen local patient, in a series after the disc's
 * own, with the document bytes unchanged; a file that is not a PDF is refused with nothing written.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dcmjs from 'dcmjs';
import { afterAll, describe, expect, it } from 'vitest';
import { stationEquipment } from '../../../main/core/dicom/equipment';
import { findPdfs } from '../../../main/core/media-import/findPdfs';
import type { StudyGroup } from '../../../main/core/media-import/groupInstances';
import { importOutsidePdf, PDF_CHANGED_REASON } from '../../../main/core/media-import/importPdf';

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

/** A PDF as the survey records it (findPdfs): path, size and SHA-256 of its bytes. */
function surveyed(path: string, bytes: Buffer) {
  return {
    path,
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

describe('outside PDFs', () => {
  it('are found on the medium, and only there', async () => {
    const disc = join(base, 'disc');
    mkdirSync(join(disc, 'REPORTS'), { recursive: true });
    writeFileSync(join(disc, 'REPORTS', 'Letter.PDF'), PDF);
    writeFileSync(join(disc, 'empty.pdf'), '');
    writeFileSync(join(base, 'outside.pdf'), PDF);
    symlinkSync(join(base, 'outside.pdf'), join(disc, 'escape.pdf'));
    const found = await findPdfs(disc);
    expect(found.map((f) => [f.shown, f.bytes, f.sha256])).toEqual([
      ['REPORTS/Letter.PDF', PDF.length, surveyed('', PDF).sha256],
    ]);
  });

  it('become Encapsulated PDF in the outside study, for the local patient', async () => {
    const source = join(base, 'Discharge letter.pdf');
    writeFileSync(source, PDF);
    const output = join(base, 'out.dcm');
    const result = await importOutsidePdf({
      pdf: surveyed(source, PDF),
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
    const fakeBytes = Buffer.from('PNG pretending');
    writeFileSync(fake, fakeBytes);
    const folder = join(base, 'refused');
    mkdirSync(folder);
    await expect(
      importOutsidePdf({
        pdf: surveyed(fake, fakeBytes),
        patient,
        study,
        equipment,
        output: join(folder, 'x.dcm'),
      }),
    ).rejects.toThrow(new RegExp(`^${fake}: not a PDF document`));
    expect(existsSync(join(folder, 'x.dcm'))).toBe(false);
    expect(await readdir(folder)).toEqual([]);
  });

  it('refuse a PDF whose bytes are not those the survey read: a disc swapped under it', async () => {
    const disc = join(base, 'swapped');
    mkdirSync(disc);
    writeFileSync(join(disc, 'REPORT.PDF'), PDF);
    const [found] = await findPdfs(disc);
    if (!found) throw new Error('the survey found no PDF');
    // Disc B at the same mount point: another patient's letter, same name, same length.
    const other = Buffer.from(PDF.toString('latin1').replace('obj', 'OBJ'), 'latin1');
    expect(other.length).toBe(PDF.length);
    writeFileSync(join(disc, 'REPORT.PDF'), other);
    const folder = join(base, 'swapped-out');
    mkdirSync(folder);
    const output = join(folder, 'x.dcm');
    const request = { pdf: found, patient, study, equipment, output };
    await expect(importOutsidePdf(request)).rejects.toThrow(PDF_CHANGED_REASON);
    writeFileSync(join(disc, 'REPORT.PDF'), Buffer.concat([PDF, Buffer.from('%%EOF\n')]));
    await expect(importOutsidePdf(request)).rejects.toThrow(PDF_CHANGED_REASON);
    expect(await readdir(folder)).toEqual([]);
    // A link put where the surveyed file was is not followed.
    renameSync(join(disc, 'REPORT.PDF'), join(disc, 'moved'));
    writeFileSync(join(base, 'elsewhere.pdf'), PDF);
    symlinkSync(join(base, 'elsewhere.pdf'), join(disc, 'REPORT.PDF'));
    await expect(importOutsidePdf(request)).rejects.toThrow(/ELOOP|symbolic link/);
    expect(await readdir(folder)).toEqual([]);
    // The same bytes again: imported.
    rmSync(join(disc, 'REPORT.PDF'));
    writeFileSync(join(disc, 'REPORT.PDF'), PDF);
    await expect(importOutsidePdf(request)).resolves.toMatchObject({ kind: 'pdf' });
    expect(await readdir(folder)).toEqual(['x.dcm']);
  });
});
