/**
 * parseDicomdir (PS3.10 8.6, PS3.3 F.5) on DICOMDIRs built here in either little-endian syntax;
 * real ones from DCMTK dcmmkdir are read in test/integration/media-import.
 */
import { describe, expect, it } from 'vitest';
import { encodeDataSet, tag, type ElementSpec } from '../../../main/core/dimse/dataSet';
import { parseDicomdir } from '../../../main/core/media-import/parseDicomdir';

function dicomdir(syntax: string, records: readonly ElementSpec[][]): Buffer {
  const metaBody = encodeDataSet(
    [
      { tag: tag(2, 1), vr: 'OB', value: Buffer.from([0, 1]) },
      { tag: tag(2, 2), vr: 'UI', value: '1.2.840.10008.1.3.10' },
      { tag: tag(2, 3), vr: 'UI', value: '1.2.826.0.1.3680043.2.1143.9' },
      { tag: tag(2, 0x10), vr: 'UI', value: syntax },
    ],
    'explicit',
  );
  const length = Buffer.alloc(4);
  length.writeUInt32LE(metaBody.length);
  const meta = encodeDataSet([{ tag: tag(2, 0), vr: 'UL', value: length }], 'explicit');
  const encoding = syntax === '1.2.840.10008.1.2' ? 'implicit' : 'explicit';
  const body = encodeDataSet(
    [
      { tag: tag(4, 0x1130), vr: 'CS', value: 'DISC1' },
      { tag: tag(4, 0x1220), vr: 'SQ', value: records },
    ],
    encoding,
  );
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), meta, metaBody, body]);
}

const records: ElementSpec[][] = [
  [{ tag: tag(4, 0x1430), vr: 'CS', value: 'PATIENT' }],
  [
    { tag: tag(4, 0x1430), vr: 'CS', value: 'IMAGE' },
    { tag: tag(4, 0x1500), vr: 'CS', value: 'DICOM\\ST000001\\IM1' },
  ],
];

describe('parseDicomdir', () => {
  it.each(['1.2.840.10008.1.2.1', '1.2.840.10008.1.2'])(
    'lists every record with its type and file ID components (%s)',
    (syntax) => {
      expect(parseDicomdir(dicomdir(syntax, records))).toEqual([
        { type: 'PATIENT', fileId: [] },
        { type: 'IMAGE', fileId: ['DICOM', 'ST000001', 'IM1'] },
      ]);
    },
  );

  it('refuses a truncated one, and one in a syntax a DICOMDIR is not written in, saying why', () => {
    const whole = dicomdir('1.2.840.10008.1.2.1', records);
    expect(() => parseDicomdir(whole.subarray(0, whole.length - 10))).toThrow(
      /^DICOMDIR cannot be parsed: /,
    );
    expect(() => parseDicomdir(dicomdir('1.2.840.10008.1.2.2', records))).toThrow(
      'DICOMDIR cannot be parsed: transfer syntax 1.2.840.10008.1.2.2 is not supported',
    );
    expect(() => parseDicomdir(Buffer.from('not a dicomdir'))).toThrow(/no "DICM"/);
  });
});
