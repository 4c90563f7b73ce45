import type { NaturalDataset } from 'dcmjs';
import type { CaptureContext, PersonName } from '../context';
import { dicomDate, dicomTime, timezoneOffset } from '../dicomDateTime';
import type { SopClassChoice } from '../sopClass';

/** PS3.3 C.12.1.1.2: every string we write is UTF-8. */
export const SPECIFIC_CHARACTER_SET = 'ISO_IR 192';

/**
 * PS3.5 6.2 PN with its three component groups (alphabetic=ideographic=phonetic), in dcmjs's DICOM
 * JSON form (PS3.18 F.2.2). An absent name is an empty (Type 2) value.
 */
export function personName(name: PersonName | undefined): unknown {
  if (!name || (!name.alphabetic && !name.ideographic && !name.phonetic)) return '';
  return [
    {
      Alphabetic: name.alphabetic,
      ...(name.ideographic ? { Ideographic: name.ideographic } : {}),
      ...(name.phonetic ? { Phonetic: name.phonetic } : {}),
    },
  ];
}

/** PS3.3 C.7.1.1 Patient Module. */
export function patientModule({ patient }: CaptureContext): NaturalDataset {
  return {
    PatientName: personName(patient.name),
    PatientID: patient.id,
    ...(patient.issuer ? { IssuerOfPatientID: patient.issuer } : {}),
    PatientBirthDate: patient.birthDate ?? '',
    PatientSex: patient.sex ?? '',
  };
}

/** PS3.3 C.7.2.1 General Study Module: Study Date/Time is the first capture of the study. */
export function generalStudyModule({ study }: CaptureContext): NaturalDataset {
  return {
    StudyInstanceUID: study.studyInstanceUid,
    StudyDate: dicomDate(study.startedAt),
    StudyTime: dicomTime(study.startedAt),
    ReferringPhysicianName: personName(study.referringPhysician),
    StudyID: study.studyId ?? '',
    AccessionNumber: study.accessionNumber ?? '',
    ...(study.accessionNumber && study.accessionIssuer
      ? { IssuerOfAccessionNumberSequence: [{ LocalNamespaceEntityID: study.accessionIssuer }] }
      : {}),
    ...(study.studyDescription || study.requestedProcedureDescription
      ? { StudyDescription: study.studyDescription ?? study.requestedProcedureDescription }
      : {}),
  };
}

/**
 * PS3.3 C.7.3.1.1.2 Request Attributes Sequence: links the instance to the order it fulfils.
 * Requested Procedure ID and Scheduled Procedure Step ID are Type 1C (PS3.3 Table 10-9): present
 * with a value, or absent — never empty. A RIS that gave a step without its requested procedure
 * (or the reverse) leaves the missing one out, as an empty value would make the object invalid.
 */
function requestAttributes({ study }: CaptureContext): NaturalDataset {
  if (!study.requestedProcedureId && !study.scheduledStepId) return {};
  return {
    RequestAttributesSequence: [
      {
        ...(study.accessionNumber ? { AccessionNumber: study.accessionNumber } : {}),
        ...(study.requestedProcedureId ? { RequestedProcedureID: study.requestedProcedureId } : {}),
        ...(study.requestedProcedureDescription
          ? { RequestedProcedureDescription: study.requestedProcedureDescription }
          : {}),
        ...(study.scheduledStepId ? { ScheduledProcedureStepID: study.scheduledStepId } : {}),
      },
    ],
  };
}

/** PS3.3 C.7.3.1 General Series Module. */
export function generalSeriesModule(context: CaptureContext, sop: SopClassChoice): NaturalDataset {
  const { series, operator } = context;
  return {
    Modality: sop.modality,
    SeriesInstanceUID: series.seriesInstanceUid,
    SeriesNumber: series.seriesNumber,
    SeriesDate: dicomDate(series.startedAt),
    SeriesTime: dicomTime(series.startedAt),
    ...(series.seriesDescription ? { SeriesDescription: series.seriesDescription } : {}),
    // Operators' Name is not in the Encapsulated Document Series (PS3.3 C.24.1).
    ...(operator && sop.medium !== 'document' ? { OperatorsName: personName(operator) } : {}),
    ...requestAttributes(context),
  };
}

/** PS3.3 C.7.5.1 General Equipment Module (Manufacturer is Type 2; dciodvfy insists). */
export function generalEquipmentModule({ equipment }: CaptureContext): NaturalDataset {
  return {
    Manufacturer: equipment.manufacturer,
    ...(equipment.institutionName ? { InstitutionName: equipment.institutionName } : {}),
    StationName: equipment.stationName,
    ...(equipment.departmentName ? { InstitutionalDepartmentName: equipment.departmentName } : {}),
    ManufacturerModelName: equipment.modelName,
    DeviceSerialNumber: equipment.deviceSerialNumber,
    SoftwareVersions: equipment.softwareVersion,
  };
}

/** PS3.3 C.12.1 SOP Common Module (SOP Class/Instance UIDs are added by the writer). */
export function sopCommonModule(createdAt: Date): NaturalDataset {
  return {
    SpecificCharacterSet: SPECIFIC_CHARACTER_SET,
    InstanceCreationDate: dicomDate(createdAt),
    InstanceCreationTime: dicomTime(createdAt),
    TimezoneOffsetFromUTC: timezoneOffset(createdAt),
  };
}

/** Modules shared by every IOD the station writes. */
export function commonModules(context: CaptureContext, sop: SopClassChoice): NaturalDataset {
  return {
    ...sopCommonModule(new Date()),
    ...patientModule(context),
    ...generalStudyModule(context),
    ...generalSeriesModule(context, sop),
    ...generalEquipmentModule(context),
    InstanceNumber: context.instanceNumber,
  };
}
