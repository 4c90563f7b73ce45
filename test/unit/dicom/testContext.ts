import type { CaptureContext } from '../../../main/core/dicom/context';
import { newUid } from '../../../main/core/dicom/uids';

/** A minimal valid context for unit tests. */
export function unitContext(overrides: Partial<CaptureContext> = {}): CaptureContext {
  const capturedAt = new Date('2026-01-02T03:04:05.006Z');
  return {
    patient: { name: { alphabetic: 'Doe^Jane' }, id: 'MRN1' },
    study: { studyInstanceUid: newUid(), startedAt: capturedAt },
    series: { seriesInstanceUid: newUid(), seriesNumber: 1, startedAt: capturedAt },
    instanceNumber: 1,
    equipment: {
      manufacturer: 'Capture Station',
      modelName: 'CS-1',
      softwareVersion: '0.1.0',
      deviceSerialNumber: 'SN1',
      stationName: 'STATION',
      aeTitle: 'CAPSTATION',
    },
    capturedAt,
    ...overrides,
  };
}
