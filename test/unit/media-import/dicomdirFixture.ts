/**
 * A DICOMDIR for unit tests, written with dcmjs (the integration tests use DCMTK dcmmkdir).
 */
import dcmjs from 'dcmjs';

/** A Media Storage Directory (PS3.3 F.3) whose IMAGE records name the given file IDs. */
export function dicomdir(fileIds: string[][]): Buffer {
  const meta = dcmjs.data.DicomMetaDictionary.denaturalizeDataset({
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: '1.2.840.10008.1.3.10',
    MediaStorageSOPInstanceUID: '1.2.826.0.1.3680043.2.1143.77.1',
    TransferSyntaxUID: '1.2.840.10008.1.2.1',
    ImplementationClassUID: '1.2.826.0.1.3680043.2.1143.77',
  });
  const dict = new dcmjs.data.DicomDict(meta);
  dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset({
    FileSetID: 'TEST',
    DirectoryRecordSequence: fileIds.map((id) => ({
      DirectoryRecordType: 'IMAGE',
      ReferencedFileID: id,
    })),
  });
  return Buffer.from(dict.write());
}
