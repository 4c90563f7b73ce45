/**
 * Writes worklist .wl files (Explicit VR Little Endian Part-10) with exactly the bytes given, so
 * text in any character set — ISO 2022 escapes included — reaches wlmscpfs untouched.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TextDecoder } from 'node:util';
import { encodeDataSet, tag, type ElementSpec } from '../../../main/core/dimse/dataSet';
import { MwlTag } from '../../../main/core/dimse/worklistItem';

function metaHeader(sopInstanceUid: string): Buffer {
  const group = encodeDataSet(
    [
      { tag: tag(0x0002, 0x0001), vr: 'OB', value: Buffer.from([0, 1]) },
      { tag: tag(0x0002, 0x0002), vr: 'UI', value: '1.2.276.0.7230010.3.1.0.1' },
      { tag: tag(0x0002, 0x0003), vr: 'UI', value: sopInstanceUid },
      { tag: tag(0x0002, 0x0010), vr: 'UI', value: '1.2.840.10008.1.2.1' },
      { tag: tag(0x0002, 0x0012), vr: 'UI', value: '1.2.826.0.1.3680043.9.9' },
    ],
    'explicit',
  );
  const length = encodeDataSet(
    [{ tag: tag(0x0002, 0x0000), vr: 'UL', value: Buffer.alloc(4) }],
    'explicit',
  );
  length.writeUInt32LE(group.length, 8);
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), length, group]);
}

/** Bytes of `text` in a single-byte WHATWG encoding, by inverting its decoder (tests only). */
export function singleByte(text: string, label: string): Buffer {
  const decoder = new TextDecoder(label);
  const table = new Map<string, number>();
  for (let byte = 0; byte < 256; byte++) table.set(decoder.decode(Uint8Array.of(byte)), byte);
  return Buffer.from(
    [...text].map((char) => {
      const byte = table.get(char);
      if (byte === undefined) throw new Error(`${char} is not in ${label}`);
      return byte;
    }),
  );
}

export interface RawWorklistEntry {
  readonly charset: string;
  readonly patientId: string;
  readonly patientName: Buffer;
  /** Text inside the Scheduled Procedure Step Sequence. */
  readonly stepDescription: Buffer;
  readonly requestedProcedureDescription: Buffer;
}

function entryElements(entry: RawWorklistEntry, index: number): ElementSpec[] {
  const studyUid = `1.2.826.0.1.2000.${index + 1}`;
  return [
    { tag: MwlTag.SpecificCharacterSet, vr: 'CS', value: entry.charset },
    { tag: MwlTag.AccessionNumber, vr: 'SH', value: `ACC${index + 1}` },
    { tag: MwlTag.ReferringPhysicianName, vr: 'PN', value: entry.patientName },
    { tag: MwlTag.PatientName, vr: 'PN', value: entry.patientName },
    { tag: MwlTag.PatientID, vr: 'LO', value: entry.patientId },
    { tag: MwlTag.PatientBirthDate, vr: 'DA', value: '19700101' },
    { tag: MwlTag.PatientSex, vr: 'CS', value: 'F' },
    { tag: MwlTag.StudyInstanceUID, vr: 'UI', value: studyUid },
    {
      tag: MwlTag.RequestedProcedureDescription,
      vr: 'LO',
      value: entry.requestedProcedureDescription,
    },
    { tag: MwlTag.RequestedProcedureID, vr: 'SH', value: `RP${index + 1}` },
    {
      tag: MwlTag.ScheduledProcedureStepSequence,
      vr: 'SQ',
      value: [
        [
          { tag: MwlTag.Modality, vr: 'CS', value: 'XC' },
          { tag: MwlTag.ScheduledStationAETitle, vr: 'AE', value: 'CAPTURE1' },
          { tag: MwlTag.ScheduledProcedureStepStartDate, vr: 'DA', value: '20260301' },
          { tag: MwlTag.ScheduledProcedureStepStartTime, vr: 'TM', value: '0930' },
          { tag: MwlTag.ScheduledPerformingPhysicianName, vr: 'PN', value: 'Doc^Tor' },
          { tag: MwlTag.ScheduledProcedureStepDescription, vr: 'LO', value: entry.stepDescription },
          { tag: MwlTag.ScheduledProcedureStepID, vr: 'SH', value: `SPS${index + 1}` },
        ],
      ],
    },
  ];
}

/** Writes <dir>/<aet>/NN.wl for each entry plus the lockfile wlmscpfs wants. */
export async function writeRawWorklist(
  dir: string,
  aet: string,
  entries: readonly RawWorklistEntry[],
): Promise<void> {
  const aetDir = path.join(dir, aet);
  await mkdir(aetDir, { recursive: true });
  await writeFile(path.join(aetDir, 'lockfile'), '');
  for (const [index, entry] of entries.entries()) {
    const body = encodeDataSet(entryElements(entry, index), 'explicit');
    const file = Buffer.concat([metaHeader(`1.2.826.0.1.2000.${index + 1}.1`), body]);
    await writeFile(path.join(aetDir, `${String(index + 1).padStart(2, '0')}.wl`), file);
  }
}
