import { describe, expect, it } from 'vitest';
import { encodeDataSet, readDataSet, tag } from '../../../main/core/dimse/dataSet';
import {
  MwlTag,
  worklistIdentifier,
  worklistItemFrom,
} from '../../../main/core/dimse/worklistItem';

describe('worklist identifiers', () => {
  it.each(['explicit', 'implicit'] as const)(
    'encode and read back in %s VR, sequence included',
    (encoding) => {
      const bytes = encodeDataSet(
        worklistIdentifier({ date: '20260301-20260302', modality: 'ES' }),
        encoding,
      );
      const dataSet = readDataSet(bytes, encoding);
      const step = dataSet.get(MwlTag.ScheduledProcedureStepSequence)?.items?.[0];
      expect(step?.get(MwlTag.ScheduledProcedureStepStartDate)?.value.toString()).toBe(
        '20260301-20260302 ', // PS3.5 6.2: padded to even length
      );
      expect(step?.get(MwlTag.Modality)?.value.toString()).toBe('ES');
      expect(dataSet.get(MwlTag.PatientName)?.value.length).toBe(0);
    },
  );

  it('decodes text in sequence items with the data set charset, or the item’s own', () => {
    const latin1 = (text: string) => Buffer.from(text, 'latin1');
    const bytes = encodeDataSet(
      [
        { tag: MwlTag.SpecificCharacterSet, vr: 'CS', value: 'ISO_IR 100' },
        { tag: MwlTag.PatientName, vr: 'PN', value: latin1('Gärtner^Jörg') },
        { tag: MwlTag.PatientSex, vr: 'CS', value: 'X' },
        {
          tag: MwlTag.ScheduledProcedureStepSequence,
          vr: 'SQ',
          value: [
            [{ tag: MwlTag.ScheduledProcedureStepDescription, vr: 'LO', value: latin1('Fußfoto') }],
          ],
        },
        {
          tag: tag(0x0008, 0x1110),
          vr: 'SQ',
          value: [[{ tag: MwlTag.SpecificCharacterSet, vr: 'CS', value: 'ISO_IR 192' }]],
        },
      ],
      'explicit',
    );
    const item = worklistItemFrom(readDataSet(bytes, 'explicit'));
    expect(item.patient.name).toEqual({ alphabetic: 'Gärtner^Jörg' });
    expect(item.patient.sex).toBe('');
    expect(item.scheduledStepDescription).toBe('Fußfoto');
  });
});
