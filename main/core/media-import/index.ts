/** Patient CD/DVD and USB import with reconciliation (issue 8): the public surface. */
export { readMedia, type MediaContents, type ReadMediaOptions } from './readMedia';
export {
  groupInstances,
  patientKeyOf,
  type PatientGroup,
  type StudyGroup,
  type SeriesGroup,
} from './groupInstances';
export {
  coerceInstance,
  type CoerceOptions,
  type CoerceResult,
  type LocalPatient,
} from './coerceInstance';
export {
  importMedia,
  surveyMedia,
  SeveralPatientsError,
  type ImportOptions,
  type ImportReport,
  type ImportedFile,
  type MediaSummary,
} from './importMedia';
export { MediaRoot } from './resolveOnMedia';
export {
  MediaFileError,
  openForReading,
  type InstanceHeader,
  type OpenFile,
  type Refusal,
} from './types';
export { patientMismatches, PatientMismatchError, type Mismatch } from './patientMismatch';
export { MediaImportService, localPatientOf, type MediaImportDeps } from './MediaImportService';
export {
  MediaWatcher,
  parseLinuxMounts,
  platformMounts,
  type DetectedMedium,
  type Mount,
  type MountsSource,
} from './mediaWatcher';
export { makeThumbnail, type Thumbnail } from './thumbnail';
export { findPdfs, type FoundPdf } from './findPdfs';
export { importOutsidePdf, type OutsidePdfRequest } from './importPdf';
export { fileState, type FileDeliveries, type FileState } from './deliveryState';
export {
  FolderListingError,
  isSystemFolder,
  listFolders,
  MAX_FOLDERS,
  type FolderListing,
} from './listFolders';
