/** Named UIDs the DIMSE layer uses (PS3.6 Annex A), with the standard's names. */

/** PS3.7 A.2.1 DICOM Application Context Name. */
export const APPLICATION_CONTEXT_NAME = '1.2.840.10008.3.1.1.1';

/**
 * Our implementation identity, sent in every A-ASSOCIATE-RQ (PS3.7 D.3.3.2, D.3.3.3.2): the same
 * one core/dicom writes into File Meta Information, so one station has one identity.
 */
export { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME } from '../dicom/uids';

export const TransferSyntax = {
  ImplicitVRLittleEndian: '1.2.840.10008.1.2',
  ExplicitVRLittleEndian: '1.2.840.10008.1.2.1',
  DeflatedExplicitVRLittleEndian: '1.2.840.10008.1.2.1.99',
  ExplicitVRBigEndian: '1.2.840.10008.1.2.2',
  JPEGBaseline8Bit: '1.2.840.10008.1.2.4.50',
  MPEG4HP41: '1.2.840.10008.1.2.4.102',
} as const;

/** The two syntaxes a byte-level rewrite can convert between (PS3.5 7.1.2 / 7.1.3). */
export const UNCOMPRESSED_LITTLE_ENDIAN: readonly string[] = [
  TransferSyntax.ExplicitVRLittleEndian,
  TransferSyntax.ImplicitVRLittleEndian,
];

export const SopClass = {
  Verification: '1.2.840.10008.1.1',
  StorageCommitmentPushModel: '1.2.840.10008.1.20.1',
  ModalityPerformedProcedureStep: '1.2.840.10008.3.1.2.3.3',
  ModalityWorklistInformationModelFind: '1.2.840.10008.5.1.4.31',
} as const;

/** PS3.4 J.3.5: the well-known SOP Instance of Storage Commitment Push Model. */
export const STORAGE_COMMITMENT_INSTANCE = '1.2.840.10008.1.20.1.1';
