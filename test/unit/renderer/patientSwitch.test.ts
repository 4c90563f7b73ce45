import { describe, expect, it } from 'vitest';
import type { WorklistItem } from '../../../preload/contract';
import { switchDecision } from '../../../renderer/src/features/patient/patientSwitch';
import type { CaptureRecord } from '../../../renderer/src/features/review/reviewChanges';

const item = (key: string, alphabetic: string): WorklistItem => ({
  key,
  patient: { name: { alphabetic }, id: `ID-${key}` },
  accessionNumber: '',
  studyInstanceUid: `2.25.${key.length}`,
});
const A = item('a', 'Doe^Anne');
const B = item('b', 'Roe^Bert');
const inReview = (of: WorklistItem): CaptureRecord => ({
  key: `c-${of.key}`,
  item: of,
  medium: 'still',
  state: 'review',
});

describe('switching the patient', () => {
  it('switches freely when nothing is unsent and nothing is recording', () => {
    expect(switchDecision(undefined, A, [], undefined)).toEqual({ kind: 'switch' });
    expect(switchDecision(A, B, [], undefined)).toEqual({ kind: 'switch' });
  });

  it('asks first when the patient on screen has captures not yet sent', () => {
    const decision = switchDecision(A, B, [inReview(A)], undefined);
    expect(decision.kind).toBe('ask');
    expect(decision.kind === 'ask' && decision.question).toMatch(
      /^1 unsent capture\(s\) of Doe, Anne/,
    );
    // Another patient's captures do not count.
    expect(switchDecision(A, B, [inReview(B)], undefined)).toEqual({ kind: 'switch' });
  });

  it('refuses another patient while a recording starts, runs or is saved, naming who records', () => {
    expect(switchDecision(A, B, [], A)).toEqual({
      kind: 'refuse',
      notice: expect.stringMatching(/^Stop the recording of Doe, Anne first/) as string,
    });
    // Refused even with unsent captures: no question is asked, the recording is not stopped.
    expect(switchDecision(A, B, [inReview(A)], A).kind).toBe('refuse');
    // Choosing the patient being recorded again changes nothing and is allowed.
    expect(switchDecision(A, A, [], A)).toEqual({ kind: 'switch' });
  });
});
