import { describe, expect, it } from 'vitest';
import type { ImportReportShape } from '../../../preload/features/mediaImport';
import { waitingProblem } from '../../../renderer/src/features/import/waitingProblem';

const report = (imported: ImportReportShape['imported']): ImportReportShape => ({
  sessionId: '7d3b2a4e-5b1c-4b7e-9a43-3f3c1d2e4a5b',
  finished: false,
  phase: 'sending',
  commitExpected: false,
  imported,
  skipped: [],
  passedOver: 0,
  counts: { imported: 0, skipped: 0, sent: 0, committed: 0, failed: 0, cancelled: 0 },
});
const item = (n: number, state: string, problem?: string) => ({
  source: `IM${n}`,
  sopInstanceUid: `1.2.${n}`,
  kind: 'image' as const,
  state,
  ...(problem ? { problem } : {}),
});

describe('waitingProblem', () => {
  it('names the problem most files wait on', () => {
    const refused = 'PACS: association rejected';
    expect(
      waitingProblem(
        report([
          item(1, 'waiting-to-retry', 'PACS: timeout'),
          item(2, 'waiting-to-retry', refused),
          item(3, 'waiting-to-retry', refused),
          item(4, 'sent'),
        ]),
      ),
    ).toBe(refused);
  });

  it('is nothing while files are merely queued, sending or stopped for attention', () => {
    expect(
      waitingProblem(report([item(1, 'queued'), item(2, 'needs-attention', 'PACS: refused')])),
    ).toBeUndefined();
  });
});
