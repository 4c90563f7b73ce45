import dcmjs from 'dcmjs';
import { describe, expect, it } from 'vitest';
import { patchDcmjsSequenceCharset } from '../../../main/core/dicom/charset';
import { encodeDataSet, tag } from '../../../main/core/dimse/dataSet';

/** A Part-10 buffer with ISO_IR 192 text at top level and inside a sequence item. */
function part10(): ArrayBuffer {
  const meta = encodeDataSet(
    [
      { tag: tag(0x0002, 0x0001), vr: 'OB', value: Buffer.from([0, 1]) },
      { tag: tag(0x0002, 0x0002), vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.7' },
      { tag: tag(0x0002, 0x0003), vr: 'UI', value: '1.2.3' },
      { tag: tag(0x0002, 0x0010), vr: 'UI', value: '1.2.840.10008.1.2.1' },
    ],
    'explicit',
  );
  const groupLength = encodeDataSet(
    [{ tag: tag(0x0002, 0x0000), vr: 'UL', value: Buffer.alloc(4) }],
    'explicit',
  );
  groupLength.writeUInt32LE(meta.length, 8);
  const body = encodeDataSet(
    [
      { tag: tag(0x0008, 0x0005), vr: 'CS', value: 'ISO_IR 192' },
      { tag: tag(0x0010, 0x0010), vr: 'PN', value: Buffer.from('Müller^Jürgen') },
      {
        tag: tag(0x0040, 0x0100),
        vr: 'SQ',
        value: [[{ tag: tag(0x0040, 0x0007), vr: 'LO', value: Buffer.from('Fußfoto 皮肤') }]],
      },
    ],
    'explicit',
  );
  const bytes = Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), groupLength, meta, body]);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
}

function stepDescription(): unknown {
  const read = dcmjs.data.DicomMessage.readFile(part10());
  const natural = dcmjs.data.DicomMetaDictionary.naturalizeDataset(read.dict);
  const steps = natural.ScheduledProcedureStepSequence as {
    ScheduledProcedureStepDescription?: unknown;
  }[];
  return steps[0]?.ScheduledProcedureStepDescription;
}

describe('dcmjs text inside sequences (dcmjs issues 503/508)', () => {
  it('is decoded with the data set’s Specific Character Set once patched', () => {
    const before = stepDescription();
    patchDcmjsSequenceCharset();
    expect(before).not.toBe('Fußfoto 皮肤'); // dcmjs alone reads the item as Latin-1
    expect(stepDescription()).toBe('Fußfoto 皮肤');
    expect(patchDcmjsSequenceCharset()).toBe(false);
  });
});
