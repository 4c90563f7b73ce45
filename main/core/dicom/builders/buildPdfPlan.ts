import type { NaturalDataset } from 'dcmjs';
import type { CaptureContext } from '../context';
import { dicomDate, dicomDateTime, dicomTime } from '../dicomDateTime';
import type { CheckedPdf } from '../inputs/pdfCheck';
import type { InstancePlan } from '../part10/writePart10';
import type { SopClassChoice } from '../sopClass';
import { TransferSyntaxUid, newUid } from '../uids';
import { commonModules } from './commonModules';

/** PS3.3 C.8.6.1 SC Equipment Module, Conversion Type defined terms. */
export const ConversionType = { ScannedDocument: 'SD', Workstation: 'WSD' } as const;

/** PS3.3 C.24.2 Encapsulated Document Module (the document itself is streamed by the writer). */
function encapsulatedDocument(context: CaptureContext, pdf: CheckedPdf): NaturalDataset {
  return {
    ContentDate: dicomDate(context.capturedAt),
    ContentTime: dicomTime(context.capturedAt),
    AcquisitionDateTime: dicomDateTime(context.capturedAt),
    // Type 1; a scanned report or outside document may carry identifying text anywhere.
    BurnedInAnnotation: 'YES',
    DocumentTitle: context.documentTitle ?? '',
    ConceptNameCodeSequence: [],
    MIMETypeOfEncapsulatedDocument: 'application/pdf',
    // The value is padded to even length; this says where the PDF really ends (PS3.3 C.24.2).
    EncapsulatedDocumentLength: pdf.length,
  };
}

/**
 * Plans an Encapsulated PDF instance (PS3.3 A.45.1): the PDF bytes unchanged as the value of
 * Encapsulated Document (0042,0011). Pure: nothing is read or written.
 */
export function buildPdfPlan(
  context: CaptureContext,
  sop: SopClassChoice,
  pdf: CheckedPdf,
): InstancePlan {
  return {
    sopClassUid: sop.sopClassUid,
    sopInstanceUid: context.sopInstanceUid ?? newUid(),
    transferSyntaxUid: TransferSyntaxUid.ExplicitVRLittleEndian,
    sourceAeTitle: context.equipment.aeTitle,
    dataset: {
      ...commonModules(context, sop),
      ConversionType: ConversionType.Workstation,
      ...encapsulatedDocument(context, pdf),
    },
    bulk: { kind: 'document', range: { file: pdf.file, start: 0, length: pdf.length } },
  };
}
