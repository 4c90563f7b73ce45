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

describe('worklist items without a Study Instance UID (Type 1 in PS3.4 Table K.6-1)', () => {
  const response = (patientId: string, accession: string, stepId = '1', studyUid = '') =>
    readDataSet(
      encodeDataSet(
        [
          { tag: MwlTag.AccessionNumber, vr: 'SH', value: accession },
          { tag: MwlTag.PatientName, vr: 'PN', value: `${patientId}^Test` },
          { tag: MwlTag.PatientID, vr: 'LO', value: patientId },
          { tag: MwlTag.StudyInstanceUID, vr: 'UI', value: studyUid },
          {
            tag: MwlTag.ScheduledProcedureStepSequence,
            vr: 'SQ',
            value: [[{ tag: MwlTag.ScheduledProcedureStepID, vr: 'SH', value: stepId }]],
          },
        ],
        'explicit',
      ),
      'explicit',
    );

  it('get a derived UID, the same at every query, and never another patient’s', () => {
    const a = worklistItemFrom(response('A1', 'ACC-A'));
    expect(a.studyInstanceUid).toMatch(/^2\.25\.[1-9]\d*$/);
    expect(a.studyInstanceUid.length).toBeLessThanOrEqual(64);
    expect(worklistItemFrom(response('A1', 'ACC-A')).studyInstanceUid).toBe(a.studyInstanceUid);
    const b = worklistItemFrom(response('B2', 'ACC-A'));
    expect(b.studyInstanceUid).not.toBe(a.studyInstanceUid);
    expect(worklistItemFrom(response('A1', 'ACC-A', '2')).studyInstanceUid).not.toBe(
      a.studyInstanceUid,
    );
  });

  it('keep the RIS’s UID when it gives one', () => {
    expect(worklistItemFrom(response('A1', 'ACC-A', '1', '1.2.3.4')).studyInstanceUid).toBe(
      '1.2.3.4',
    );
  });

  it('have keys that differ between patients even with the same step ID and study', () => {
    const keys = [
      worklistItemFrom(response('A1', '', '1', '1.2.3')).key,
      worklistItemFrom(response('B2', '', '1', '1.2.3')).key,
      worklistItemFrom(response('A1', 'ACC-A')).key,
      worklistItemFrom(response('B2', 'ACC-B')).key,
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('stay without a UID when nothing identifies the procedure (refused at the shutter)', () => {
    expect(worklistItemFrom(response('A1', '', '')).studyInstanceUid).toBe('');
  });
});
