/**
 * Modality Performed Procedure Step attributes (PS3.4 F.7.2, PS3.3 C.4.13–C.4.16; IHE RAD-6/7):
 * the N-CREATE data set that opens a step for a worklist item and the N-SET that closes it.
 */
import type { PersonName, WorklistItem } from '../../../preload/contract';
import { tag, type ElementSpec } from './dataSet';

export const MppsTag = {
  SpecificCharacterSet: tag(0x0008, 0x0005),
  AccessionNumber: tag(0x0008, 0x0050),
  Modality: tag(0x0008, 0x0060),
  ProcedureCodeSequence: tag(0x0008, 0x1032),
  ReferencedStudySequence: tag(0x0008, 0x1110),
  ReferencedImageSequence: tag(0x0008, 0x1140),
  ReferencedSOPClassUID: tag(0x0008, 0x1150),
  ReferencedSOPInstanceUID: tag(0x0008, 0x1155),
  RetrieveAETitle: tag(0x0008, 0x0054),
  SeriesDescription: tag(0x0008, 0x103e),
  PerformingPhysicianName: tag(0x0008, 0x1050),
  OperatorsName: tag(0x0008, 0x1070),
  PatientName: tag(0x0010, 0x0010),
  PatientID: tag(0x0010, 0x0020),
  PatientBirthDate: tag(0x0010, 0x0030),
  PatientSex: tag(0x0010, 0x0040),
  ProtocolName: tag(0x0018, 0x1030),
  StudyInstanceUID: tag(0x0020, 0x000d),
  SeriesInstanceUID: tag(0x0020, 0x000e),
  StudyID: tag(0x0020, 0x0010),
  RequestedProcedureDescription: tag(0x0032, 0x1060),
  ScheduledProcedureStepDescription: tag(0x0040, 0x0007),
  ScheduledProcedureStepID: tag(0x0040, 0x0009),
  ReferencedNonImageCompositeSOPInstanceSequence: tag(0x0040, 0x0220),
  PerformedStationAETitle: tag(0x0040, 0x0241),
  PerformedStationName: tag(0x0040, 0x0242),
  PerformedLocation: tag(0x0040, 0x0243),
  PerformedProcedureStepStartDate: tag(0x0040, 0x0244),
  PerformedProcedureStepStartTime: tag(0x0040, 0x0245),
  PerformedProcedureStepEndDate: tag(0x0040, 0x0250),
  PerformedProcedureStepEndTime: tag(0x0040, 0x0251),
  PerformedProcedureStepStatus: tag(0x0040, 0x0252),
  PerformedProcedureStepID: tag(0x0040, 0x0253),
  PerformedProcedureStepDescription: tag(0x0040, 0x0254),
  PerformedProcedureTypeDescription: tag(0x0040, 0x0255),
  PerformedProtocolCodeSequence: tag(0x0040, 0x0260),
  ScheduledStepAttributesSequence: tag(0x0040, 0x0270),
  PerformedSeriesSequence: tag(0x0040, 0x0340),
  RequestedProcedureID: tag(0x0040, 0x1001),
} as const;

export interface MppsStart {
  readonly item: WorklistItem;
  readonly performedStepId: string;
  readonly stationAeTitle: string;
  readonly stationName?: string;
  readonly modality: string;
  readonly start: Date;
  readonly description?: string;
}

export interface PerformedSeries {
  readonly seriesInstanceUid: string;
  readonly seriesDescription?: string;
  readonly retrieveAeTitle?: string;
  readonly operatorName?: string;
  readonly images: readonly { sopClassUid: string; sopInstanceUid: string }[];
}

export interface MppsEnd {
  readonly status: 'COMPLETED' | 'DISCONTINUED';
  readonly end: Date;
  readonly series: readonly PerformedSeries[];
}

const pad2 = (n: number) => String(n).padStart(2, '0');
/** PS3.5 6.2 DA and TM in local time, as modalities record them. */
export const dicomDate = (d: Date) =>
  `${d.getFullYear()}${pad2(d.getMonth() + 1)}${pad2(d.getDate())}`;
export const dicomTime = (d: Date) =>
  `${pad2(d.getHours())}${pad2(d.getMinutes())}${pad2(d.getSeconds())}`;

/** PS3.5 6.2.1.1: groups joined by '=', trailing empty groups dropped. */
export function personNameText(name: PersonName | undefined): string {
  if (!name) return '';
  return [name.alphabetic, name.ideographic ?? '', name.phonetic ?? '']
    .join('=')
    .replace(/=+$/, '');
}

const el = (
  elementTag: number,
  vr: string,
  value: string | readonly (readonly ElementSpec[])[] = '',
): ElementSpec => ({
  tag: elementTag,
  vr,
  value,
});

/** N-CREATE attributes (PS3.4 F.7.2.1.1 Table F.7.2-1), text in UTF-8 (ISO_IR 192). */
export function mppsCreateAttributes(start: MppsStart): ElementSpec[] {
  const { item } = start;
  return [
    el(MppsTag.SpecificCharacterSet, 'CS', 'ISO_IR 192'),
    el(MppsTag.ScheduledStepAttributesSequence, 'SQ', [
      [
        el(MppsTag.StudyInstanceUID, 'UI', item.studyInstanceUid),
        el(MppsTag.ReferencedStudySequence, 'SQ', []),
        el(MppsTag.AccessionNumber, 'SH', item.accessionNumber),
        el(MppsTag.RequestedProcedureID, 'SH', item.requestedProcedureId ?? ''),
        el(MppsTag.RequestedProcedureDescription, 'LO', item.requestedProcedureDescription ?? ''),
        el(MppsTag.ScheduledProcedureStepID, 'SH', item.scheduledStepId ?? ''),
        el(MppsTag.ScheduledProcedureStepDescription, 'LO', item.scheduledStepDescription ?? ''),
      ],
    ]),
    el(MppsTag.PatientName, 'PN', personNameText(item.patient.name)),
    el(MppsTag.PatientID, 'LO', item.patient.id),
    el(MppsTag.PatientBirthDate, 'DA', item.patient.birthDate ?? ''),
    el(MppsTag.PatientSex, 'CS', item.patient.sex ?? ''),
    el(MppsTag.ProcedureCodeSequence, 'SQ', []),
    el(MppsTag.Modality, 'CS', start.modality),
    el(MppsTag.StudyID, 'SH', ''),
    el(MppsTag.PerformedStationAETitle, 'AE', start.stationAeTitle),
    el(MppsTag.PerformedStationName, 'SH', start.stationName ?? ''),
    el(MppsTag.PerformedLocation, 'SH', ''),
    el(MppsTag.PerformedProcedureStepStartDate, 'DA', dicomDate(start.start)),
    el(MppsTag.PerformedProcedureStepStartTime, 'TM', dicomTime(start.start)),
    el(MppsTag.PerformedProcedureStepEndDate, 'DA', ''),
    el(MppsTag.PerformedProcedureStepEndTime, 'TM', ''),
    el(MppsTag.PerformedProcedureStepStatus, 'CS', 'IN PROGRESS'),
    el(MppsTag.PerformedProcedureStepID, 'SH', start.performedStepId),
    el(
      MppsTag.PerformedProcedureStepDescription,
      'LO',
      start.description ?? item.scheduledStepDescription ?? '',
    ),
    el(MppsTag.PerformedProcedureTypeDescription, 'LO', ''),
    el(MppsTag.PerformedProtocolCodeSequence, 'SQ', []),
    el(MppsTag.PerformedSeriesSequence, 'SQ', []),
  ];
}

/** N-SET attributes that close the step (PS3.4 F.7.2.2, IHE RAD-7). */
export function mppsSetAttributes(end: MppsEnd): ElementSpec[] {
  return [
    el(MppsTag.SpecificCharacterSet, 'CS', 'ISO_IR 192'),
    el(MppsTag.PerformedProcedureStepEndDate, 'DA', dicomDate(end.end)),
    el(MppsTag.PerformedProcedureStepEndTime, 'TM', dicomTime(end.end)),
    el(MppsTag.PerformedProcedureStepStatus, 'CS', end.status),
    el(
      MppsTag.PerformedSeriesSequence,
      'SQ',
      end.series.map((series) => [
        el(MppsTag.RetrieveAETitle, 'AE', series.retrieveAeTitle ?? ''),
        el(MppsTag.SeriesDescription, 'LO', series.seriesDescription ?? ''),
        el(MppsTag.PerformingPhysicianName, 'PN', ''),
        el(MppsTag.OperatorsName, 'PN', series.operatorName ?? ''),
        el(MppsTag.ProtocolName, 'LO', series.seriesDescription ?? 'capture'),
        el(MppsTag.SeriesInstanceUID, 'UI', series.seriesInstanceUid),
        el(
          MppsTag.ReferencedImageSequence,
          'SQ',
          series.images.map((image) => [
            el(MppsTag.ReferencedSOPClassUID, 'UI', image.sopClassUid),
            el(MppsTag.ReferencedSOPInstanceUID, 'UI', image.sopInstanceUid),
          ]),
        ),
        el(MppsTag.ReferencedNonImageCompositeSOPInstanceSequence, 'SQ', []),
      ]),
    ),
  ];
}
