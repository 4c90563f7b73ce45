/**
 * The station's DIMSE layer (PS3.7/PS3.8): what other parts of core use. Everything here runs in
 * plain Node; errors are the typed classes in errors.ts.
 */
export { openAssociation } from './openAssociation';
export type { Association } from './Association';
export {
  DEFAULT_TIMEOUTS,
  type AssociationOptions,
  type AssociationTimeouts,
  type PresentationContextRequest,
} from './associationTypes';
export type { TlsSettings } from './connect';
export * from './errors';
export { cEcho, VERIFICATION_CONTEXT } from './echo';
export { cStore, type StoreResponse } from './store';
export {
  sendFiles,
  type SendFileResult,
  type SendFilesOptions,
  type SendSource,
} from './sendFiles';
export { readPart10Info, Part10Error, type Part10Info } from './part10';
export { findWorklist, queryWorklist, WORKLIST_CONTEXT, type FindOptions } from './worklist';
export { worklistItemFrom, type WorklistQueryKeys } from './worklistItem';
export { commitStorage, type CommitStorageOptions } from './commitStorage';
export {
  requestCommitment,
  COMMITMENT_CONTEXT,
  type CommitmentReport,
  type CommitmentResult,
  type InstanceReference,
} from './storageCommitment';
export { StationScp, type StationScpOptions } from './StationScp';
export { createMpps, finishMpps, MPPS_CONTEXT } from './mpps';
export type { MppsEnd, MppsStart, PerformedSeries } from './mppsDataSet';
export { dimseDestination, worklistSource, readTlsFiles, type DimsePeer } from './peer';
export {
  readDataSet,
  encodeDataSet,
  tag,
  type DataSet,
  type DataElement,
  type ElementSpec,
} from './dataSet';
