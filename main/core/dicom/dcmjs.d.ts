/**
 * The part of dcmjs 0.51 (which ships no types) that core/dicom uses. Shapes follow dcmjs's own
 * DICOM JSON model (PS3.18 F.2): a denaturalized dataset maps 8-hex-digit tags to { vr, Value }.
 */
declare module 'dcmjs' {
  export interface DicomJsonElement {
    vr: string;
    Value?: unknown[];
  }
  export type DicomJsonDataset = Record<string, DicomJsonElement>;
  /** Keyword-keyed form (dcmjs "naturalized"): { PatientName: [...], Rows: 480, ... }. */
  export type NaturalDataset = Record<string, unknown>;

  export interface DicomDictInstance {
    meta: DicomJsonDataset;
    dict: DicomJsonDataset;
    write(options?: { allowInvalidVRLength?: boolean; fragmentMultiframe?: boolean }): ArrayBuffer;
  }

  export interface WriteBufferStreamInstance {
    readonly size: number;
    getBuffer(start?: number, end?: number): ArrayBuffer;
  }

  interface DcmjsData {
    DicomMetaDictionary: {
      denaturalizeDataset(dataset: NaturalDataset): DicomJsonDataset;
      naturalizeDataset(dataset: DicomJsonDataset): NaturalDataset;
    };
    DicomDict: new (meta: DicomJsonDataset) => DicomDictInstance;
    DicomMessage: {
      readFile(
        buffer: ArrayBuffer,
        options?: { untilTag?: string; includeUntilTagValue?: boolean; ignoreErrors?: boolean },
      ): DicomDictInstance;
      write(
        dataset: DicomJsonDataset,
        stream: WriteBufferStreamInstance,
        syntax: string,
        options?: { allowInvalidVRLength?: boolean },
      ): number;
    };
    WriteBufferStream: new (
      defaultSize?: number,
      littleEndian?: boolean,
    ) => WriteBufferStreamInstance;
  }

  const dcmjs: { data: DcmjsData };
  export default dcmjs;
}
