import { describe, expect, it } from 'vitest';
import type { ReviewItem } from '../../../preload/features/review';
import {
  applyReviewChange,
  heldRecord,
  settled,
  type CaptureRecord,
} from '../../../renderer/src/features/review/reviewChanges';

const ID = '3f1c9a52-8d7e-4b0a-9c61-2e5d7f8a9b10';
const item: ReviewItem['item'] = {
  key: 'study-1/step-1',
  patient: { name: { alphabetic: 'Müller^Hans' }, id: 'DEMO-1002' },
  accessionNumber: 'A1',
  studyInstanceUid: '1.2.3',
};
const held: ReviewItem = {
  id: ID,
  item,
  medium: 'still',
  capturedAt: '2026-11-28T08:00:00.000Z',
  bytes: 1000,
  dermoscope: false,
};
const saved = {
  sopInstanceUid: '1.2.3.4',
  sopClassUid: '1.2.840.10008.5.1.4.1.1.77.1.4',
  studyInstanceUid: '1.2.3',
  seriesNumber: 1,
  instanceNumber: 1,
  patientId: 'DEMO-1002',
  capturedAt: held.capturedAt,
};
const none = () => false;

describe('review strip kept in step with the station (reviewChanged)', () => {
  it('adds a capture another window took, once', () => {
    const once = applyReviewChange([], { id: ID, item: held }, none);
    expect(once).toEqual([heldRecord(held)]);
    const edited = { ...held, notes: 'from the other window' };
    const twice = applyReviewChange(once, { id: ID, item: edited }, none);
    expect(twice).toHaveLength(1);
    expect(twice[0]?.review?.notes).toBe('from the other window');
  });

  it('keeps edits typed here that are not written yet', () => {
    const list = [{ ...heldRecord(held), review: { ...held, notes: 'typing here' } }];
    const after = applyReviewChange(list, { id: ID, item: held }, (id) => id === ID);
    expect(after[0]?.review?.notes).toBe('typing here');
  });

  it('drops a deleted capture, shows a sent one as in the outbox', () => {
    const list: CaptureRecord[] = [heldRecord(held)];
    expect(applyReviewChange(list, { id: ID, removed: 'deleted' }, none)).toEqual([]);
    const sent = applyReviewChange(list, { id: ID, removed: 'sent', saved }, none);
    expect(sent[0]).toMatchObject({ state: 'saved', saved });
  });

  it("merges the echo of this window's own shutter into its local capture", () => {
    const local: CaptureRecord = {
      key: 'local-1',
      item,
      medium: 'still',
      state: 'saving',
      thumbnailUrl: 'blob:x',
    };
    const echoed = applyReviewChange([local], { id: ID, item: held }, none);
    expect(echoed).toHaveLength(2);
    const merged = settled(echoed, 'local-1', held);
    expect(merged).toEqual([
      { ...local, key: ID, state: 'review', review: held, thumbnailUrl: 'blob:x' },
    ]);
  });
});
