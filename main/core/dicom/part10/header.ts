import dcmjs, { type DicomJsonDataset, type NaturalDataset } from 'dcmjs';
import { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME, TransferSyntaxUid } from '../uids';
import type { BulkTag } from './encapsulation';

const { DicomMetaDictionary, DicomDict, DicomMessage, WriteBufferStream } = dcmjs.data;

export interface HeaderInput {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly transferSyntaxUid: string;
  /** The dataset in dcmjs keyword form, without the bulk element. */
  readonly dataset: NaturalDataset;
  readonly sourceAeTitle?: string;
}

export interface EncodedHeader {
  /** Preamble, "DICM", File Meta Information and every element whose tag sorts before the bulk tag. */
  readonly before: Buffer;
  /** Elements whose tag sorts after the bulk tag (e.g. Encapsulated Document Length). */
  readonly after: Buffer;
}

/**
 * Where the bulk value should start: at a multiple of `boundary` bytes from the start of the file,
 * given the `prefixBytes` written between the header and the value (element and item headers).
 */
export interface BulkAlignment {
  readonly boundary: number;
  readonly prefixBytes: number;
}

/** (0002,0100) UI + (0002,0102) OB headers and the creator UID: what padding costs at least. */
const PADDING_OVERHEAD =
  8 + IMPLEMENTATION_CLASS_UID.length + (IMPLEMENTATION_CLASS_UID.length % 2) + 12;

/** PS3.10 7.1 File Meta Information, in dcmjs keyword form. */
function fileMeta(input: HeaderInput, padding?: number): NaturalDataset {
  return {
    FileMetaInformationVersion: new Uint8Array([0x00, 0x01]).buffer,
    MediaStorageSOPClassUID: input.sopClassUid,
    MediaStorageSOPInstanceUID: input.sopInstanceUid,
    TransferSyntaxUID: input.transferSyntaxUid,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: IMPLEMENTATION_VERSION_NAME,
    ...(input.sourceAeTitle ? { SourceApplicationEntityTitle: input.sourceAeTitle } : {}),
    // PS3.10 7.1: Private Information, identified by its creator's UID, is the File Meta
    // Information's own place for what the application needs; here zero bytes that align the bulk
    // value on disk. It stays in the file: the data set sent to a peer never includes group 0002.
    ...(padding !== undefined
      ? {
          PrivateInformationCreatorUID: IMPLEMENTATION_CLASS_UID,
          PrivateInformation: new Uint8Array(padding).buffer,
        }
      : {}),
  };
}

function split(dataset: DicomJsonDataset, bulkTag: BulkTag) {
  const before: DicomJsonDataset = {};
  const after: DicomJsonDataset = {};
  const pivot = bulkTag.toLowerCase();
  for (const [tag, element] of Object.entries(dataset)) {
    const key = tag.toLowerCase();
    if (key === pivot) throw new Error(`the dataset must not carry the bulk element ${bulkTag}`);
    (key < pivot ? before : after)[tag] = element;
  }
  return { before, after };
}

/**
 * Encodes everything except the bulk element with dcmjs. The data set is always written as
 * Explicit VR Little Endian, which is what every encapsulated transfer syntax uses outside the
 * encapsulated value (PS3.5 A.4); dcmjs normalises the meta's syntax to exactly that.
 * With `alignment`, File Meta Private Information pads the header so the bulk value starts on the
 * boundary (a kernel copy into a page-aligned offset runs several times faster; see fs/kernelCopy).
 * Throws when dcmjs cannot encode a value (e.g. a string too long for its VR).
 */
export function encodeHeader(
  input: HeaderInput,
  bulkTag: BulkTag,
  alignment?: BulkAlignment,
): EncodedHeader {
  const plain = encodeWithPadding(input, bulkTag, undefined);
  if (!alignment) return plain;
  const { boundary, prefixBytes } = alignment;
  const unpadded = plain.before.length + PADDING_OVERHEAD + prefixBytes;
  const padding = (boundary - (unpadded % boundary)) % boundary;
  const aligned = encodeWithPadding(input, bulkTag, padding);
  if ((aligned.before.length + prefixBytes) % boundary !== 0) {
    throw new Error(`the header could not be padded to a ${boundary}-byte boundary`);
  }
  return aligned;
}

function encodeWithPadding(
  input: HeaderInput,
  bulkTag: BulkTag,
  padding: number | undefined,
): EncodedHeader {
  const meta = DicomMetaDictionary.denaturalizeDataset(fileMeta(input, padding));
  const denaturalized = DicomMetaDictionary.denaturalizeDataset({
    ...input.dataset,
    SOPClassUID: input.sopClassUid,
    SOPInstanceUID: input.sopInstanceUid,
  });
  const { before, after } = split(denaturalized, bulkTag);
  const dict = new DicomDict(meta);
  dict.dict = before;
  const head = Buffer.from(dict.write());
  const tailStream = new WriteBufferStream(1024, true);
  DicomMessage.write(after, tailStream, TransferSyntaxUid.ExplicitVRLittleEndian);
  const tail = Buffer.from(tailStream.getBuffer(0, tailStream.size));
  return { before: head, after: tail };
}
