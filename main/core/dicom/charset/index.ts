/** Specific Character Set decoding (PS3.5 6.1, PS3.3 C.12.1.1.2) for the whole station. */
export {
  decodeText,
  isKnownCharacterSetTerm,
  parseSpecificCharacterSet,
  TEXT_VRS,
  type SpecificCharacterSet,
} from './decodeText';
export { decodePersonName, type DecodedPersonName } from './personName';
export { patchDcmjsSequenceCharset } from './dcmjsSequenceCharset';
