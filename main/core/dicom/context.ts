import type { Patient, PersonName } from '../../../preload/contract';
import type { Laterality } from './anatomy';

export type { Patient, PersonName };

/** Study the capture belongs to: from the worklist item, or new for encounter-based imaging. */
export interface StudyContext {
  /** From the worklist (Scheduled Workflow); generated once per session when absent (IHE EBIW). */
  readonly studyInstanceUid: string;
  readonly accessionNumber?: string;
  /** Issuer of Accession Number (PS3.3 C.7.2.1), a local namespace ID. */
  readonly accessionIssuer?: string;
  readonly studyId?: string;
  readonly studyDescription?: string;
  readonly requestedProcedureId?: string;
  readonly requestedProcedureDescription?: string;
  readonly scheduledStepId?: string;
  readonly referringPhysician?: PersonName;
  /** Study Date/Time = the first capture of the study in this session. */
  readonly startedAt: Date;
}

export interface SeriesContext {
  readonly seriesInstanceUid: string;
  readonly seriesNumber: number;
  readonly seriesDescription?: string;
  readonly startedAt: Date;
  /** Dermoscopy only (PS3.3 C.7.4.1): shared by the images of one series. */
  readonly frameOfReferenceUid?: string;
}

/** This station, for the General Equipment Module (PS3.3 C.7.5.1) and File Meta. */
export interface EquipmentContext {
  readonly manufacturer: string;
  /** Manufacturer's Model Name, Software Versions, Device Serial Number: Type 1 in the Enhanced
   * General Equipment Module that Dermoscopic Photography requires (PS3.3 C.7.5.2). */
  readonly modelName: string;
  readonly softwareVersion: string;
  readonly deviceSerialNumber: string;
  readonly stationName: string;
  readonly aeTitle: string;
  readonly institutionName?: string;
  readonly departmentName?: string;
}

/** Everything bound to a capture at the moment it was taken (never at send time). */
export interface CaptureContext {
  readonly patient: Patient;
  readonly study: StudyContext;
  readonly series: SeriesContext;
  readonly instanceNumber: number;
  readonly equipment: EquipmentContext;
  readonly operator?: PersonName;
  /** SNOMED CT code of a region of resources/anatomy/regions.json, with laterality if paired. */
  readonly region?: { readonly code: string; readonly laterality?: Laterality };
  /** Content Date/Time: the moment of capture. */
  readonly capturedAt: Date;
  readonly notes?: string;
  /** Encapsulated PDF only: Document Title (0042,0010). */
  readonly documentTitle?: string;
}
