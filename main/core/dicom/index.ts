/**
 * core/dicom: captures become DICOM instances (PS3.3 VL and Encapsulated Document IODs), written
 * once, streamed disk to disk, never half-written. The capture screen and the outbox use this:
 *
 *   const session = new CaptureSession({ patient, study, equipment: stationEquipment(station) });
 *   const context = session.next({ seriesKey: kind, capturedAt, region });   // at capture time
 *   const result = await wrapCapture({ input, kind, context, output, prepareVideo });
 */
export { wrapCapture, type WrapRequest, type WrapResult } from './wrapCapture';
export { CaptureSession, type SessionInput, type CaptureInput } from './session';
export type {
  CaptureContext,
  EquipmentContext,
  Patient,
  PersonName,
  SeriesContext,
  StudyContext,
} from './context';
export {
  CAPTURE_KINDS,
  chooseSopClass,
  isCaptureKind,
  sopClassForKind,
  type CaptureKind,
  type CaptureMedium,
  type Department,
  type SopClassChoice,
} from './sopClass';
export {
  ANATOMIC_REGIONS,
  findRegion,
  isLaterality,
  type AnatomicRegion,
  type Laterality,
} from './anatomy';
export { stationEquipment, type StationIdentity } from './equipment';
export { patientFromKeywords, studyFromKeywords, parsePersonName } from './keywordContext';
export { InputRejectedError, ContextError } from './errors';
export { SopClassUid, TransferSyntaxUid, newUid, isValidUid } from './uids';
export {
  writePart10,
  type BulkContent,
  type ByteRange,
  type InstancePlan,
  type WriteOptions,
  type WrittenInstance,
} from './part10/writePart10';
export type { VideoPreparer } from './videoTypes';
