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

/** PS3.3 C.8.12.13 Dermoscopic Image Module: what the operator knows of the dermoscope. */
export interface DermoscopyOptics {
  /** Light Source Polarization (0016,1001). */
  readonly polarization?: 'POLARIZED' | 'NON_POLARIZED';
  /** Contact Method (0016,1003). */
  readonly contact?: 'CONTACT' | 'NON_CONTACT';
  /** Immersion Media (0016,1004): Type 2C, present when the contact method is CONTACT. */
  readonly immersion?: 'ULTRASOUND_GEL' | 'ALCOHOL' | 'MINERAL_OIL' | 'PLASTIC_CAP';
  /** Optical Magnification Factor (0016,1005). */
  readonly magnification?: number;
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
  /**
   * SOP Instance UID chosen by the caller before wrapping (the review store records it first, so
   * after a crash it can tell whether the outbox already took the instance); else a new UID.
   */
  readonly sopInstanceUid?: string;
  readonly notes?: string;
  /** Dermoscopic Photography only: the dermoscope's optics, as the operator gave them. */
  readonly dermoscopy?: DermoscopyOptics;
  /** Encapsulated PDF only: Document Title (0042,0010). */
  readonly documentTitle?: string;
}
