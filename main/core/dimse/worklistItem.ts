/**
 * Modality Worklist identifiers (PS3.4 K.6.1.2): the query the station sends and the mapping of a
 * response to the UI's WorklistItem. Text is decoded with the Specific Character Set of the
 * response — inside the Scheduled Procedure Step Sequence too, where an item may name its own.
 */
import type { WorklistItem } from '../../../preload/contract';
import {
  decodePersonName,
  decodeText,
  parseSpecificCharacterSet,
  type SpecificCharacterSet,
} from '../dicom/charset';
import { studyUidFor, worklistItemKey } from '../capture/procedureIdentity';
import { tag, type DataSet, type ElementSpec } from './dataSet';

export const MwlTag = {
  SpecificCharacterSet: tag(0x0008, 0x0005),
  AccessionNumber: tag(0x0008, 0x0050),
  Modality: tag(0x0008, 0x0060),
  ReferringPhysicianName: tag(0x0008, 0x0090),
  PatientName: tag(0x0010, 0x0010),
  PatientID: tag(0x0010, 0x0020),
  IssuerOfPatientID: tag(0x0010, 0x0021),
  PatientBirthDate: tag(0x0010, 0x0030),
  PatientSex: tag(0x0010, 0x0040),
  StudyInstanceUID: tag(0x0020, 0x000d),
  RequestedProcedureDescription: tag(0x0032, 0x1060),
  ScheduledStationAETitle: tag(0x0040, 0x0001),
  ScheduledProcedureStepStartDate: tag(0x0040, 0x0002),
  ScheduledProcedureStepStartTime: tag(0x0040, 0x0003),
  ScheduledPerformingPhysicianName: tag(0x0040, 0x0006),
  ScheduledProcedureStepDescription: tag(0x0040, 0x0007),
  ScheduledProcedureStepID: tag(0x0040, 0x0009),
  ScheduledProcedureStepSequence: tag(0x0040, 0x0100),
  RequestedProcedureID: tag(0x0040, 0x1001),
} as const;

export interface WorklistQueryKeys {
  /** YYYYMMDD or YYYYMMDD-YYYYMMDD (PS3.4 C.2.2.2.5 range matching). */
  readonly date?: string;
  readonly modality?: string;
  readonly stationAeTitle?: string;
  readonly patientId?: string;
}

const key = (elementTag: number, vr: string, value = ''): ElementSpec => ({
  tag: elementTag,
  vr,
  value,
});

/** The C-FIND identifier: matching keys where given, every return key the station uses empty. */
export function worklistIdentifier(query: WorklistQueryKeys): ElementSpec[] {
  return [
    key(MwlTag.SpecificCharacterSet, 'CS'),
    key(MwlTag.AccessionNumber, 'SH'),
    key(MwlTag.ReferringPhysicianName, 'PN'),
    key(MwlTag.PatientName, 'PN'),
    key(MwlTag.PatientID, 'LO', query.patientId ?? ''),
    key(MwlTag.IssuerOfPatientID, 'LO'),
    key(MwlTag.PatientBirthDate, 'DA'),
    key(MwlTag.PatientSex, 'CS'),
    key(MwlTag.StudyInstanceUID, 'UI'),
    key(MwlTag.RequestedProcedureDescription, 'LO'),
    key(MwlTag.RequestedProcedureID, 'SH'),
    {
      tag: MwlTag.ScheduledProcedureStepSequence,
      vr: 'SQ',
      value: [
        [
          key(MwlTag.Modality, 'CS', query.modality ?? ''),
          key(MwlTag.ScheduledStationAETitle, 'AE', query.stationAeTitle ?? ''),
          key(MwlTag.ScheduledProcedureStepStartDate, 'DA', query.date ?? ''),
          key(MwlTag.ScheduledProcedureStepStartTime, 'TM'),
          key(MwlTag.ScheduledPerformingPhysicianName, 'PN'),
          key(MwlTag.ScheduledProcedureStepDescription, 'LO'),
          key(MwlTag.ScheduledProcedureStepID, 'SH'),
        ],
      ],
    },
  ];
}

/** Reads text from a data set with a character set; undefined when absent or empty. */
export class TextReader {
  constructor(
    readonly dataSet: DataSet,
    readonly charset: SpecificCharacterSet,
  ) {}

  /** A reader for an item of a sequence, inheriting this character set unless the item names one. */
  static of(dataSet: DataSet, inherited?: SpecificCharacterSet): TextReader {
    const own = dataSet.get(MwlTag.SpecificCharacterSet);
    const charset =
      own && own.value.length > 0
        ? parseSpecificCharacterSet(own.value.toString('latin1'))
        : inherited;
    return new TextReader(dataSet, charset ?? parseSpecificCharacterSet(undefined));
  }

  text(elementTag: number): string | undefined {
    const element = this.dataSet.get(elementTag);
    if (!element || element.value.length === 0) return undefined;
    const text = decodeText(element.value, this.charset, element.vr)
      .replace(/[\0 ]+$/, '')
      .trim();
    return text === '' ? undefined : text;
  }

  personName(elementTag: number) {
    const element = this.dataSet.get(elementTag);
    return element && element.value.length > 0
      ? decodePersonName(element.value, this.charset)
      : undefined;
  }

  firstItem(elementTag: number): TextReader | undefined {
    const item = this.dataSet.get(elementTag)?.items?.[0];
    return item ? TextReader.of(item, this.charset) : undefined;
  }
}

const SEXES = ['M', 'F', 'O'] as const;
const sexOf = (value: string | undefined): WorklistItem['patient']['sex'] =>
  SEXES.find((sex) => sex === value) ?? (value === undefined ? undefined : '');

/** Maps one C-FIND response identifier to the UI's WorklistItem (preload/contract.ts). */
export function worklistItemFrom(dataSet: DataSet): WorklistItem {
  const top = TextReader.of(dataSet);
  const step = top.firstItem(MwlTag.ScheduledProcedureStepSequence);
  const patient = {
    name: top.personName(MwlTag.PatientName) ?? { alphabetic: '' },
    id: top.text(MwlTag.PatientID) ?? '',
    issuer: top.text(MwlTag.IssuerOfPatientID),
    birthDate: top.text(MwlTag.PatientBirthDate),
    sex: sexOf(top.text(MwlTag.PatientSex)),
  };
  const procedure = {
    patient,
    accessionNumber: top.text(MwlTag.AccessionNumber) ?? '',
    requestedProcedureId: top.text(MwlTag.RequestedProcedureID),
    scheduledStepId: step?.text(MwlTag.ScheduledProcedureStepID),
  };
  // Type 1 in the response (PS3.4 Table K.6-1), yet some RIS omit it: a UID derived from the
  // patient and the procedure's IDs then stands in, stable for this item (procedureIdentity.ts).
  const studyInstanceUid =
    studyUidFor({ ...procedure, studyInstanceUid: top.text(MwlTag.StudyInstanceUID) ?? '' }) ?? '';
  return {
    ...procedure,
    key: worklistItemKey({ ...procedure, studyInstanceUid }),
    studyInstanceUid,
    requestedProcedureDescription: top.text(MwlTag.RequestedProcedureDescription),
    referringPhysician: top.personName(MwlTag.ReferringPhysicianName),
    scheduledStepDescription: step?.text(MwlTag.ScheduledProcedureStepDescription),
    scheduledDate: step?.text(MwlTag.ScheduledProcedureStepStartDate),
    scheduledTime: step?.text(MwlTag.ScheduledProcedureStepStartTime),
    modality: step?.text(MwlTag.Modality),
    scheduledStationAeTitle: step?.text(MwlTag.ScheduledStationAETitle),
  };
}
