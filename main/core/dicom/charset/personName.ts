/** PS3.5 6.2.1.1: a PN value splits into alphabetic, ideographic and phonetic groups at '='. */
import { decodeText, type SpecificCharacterSet } from './decodeText';

export interface DecodedPersonName {
  readonly alphabetic: string;
  readonly ideographic?: string;
  readonly phonetic?: string;
}

/**
 * Decodes the first value of a PN element and splits its component groups. The groups are split
 * after decoding, so a '=' byte inside a multi-byte character is never taken for a delimiter.
 * Trailing spaces (padding) are removed; empty groups are left out.
 */
export function decodePersonName(
  bytes: Uint8Array,
  charset: SpecificCharacterSet,
): DecodedPersonName {
  const text = decodeText(bytes, charset, 'PN').split('\\')[0] ?? '';
  const [alphabetic = '', ideographic = '', phonetic = ''] = text.replace(/[\0 ]+$/, '').split('=');
  return {
    alphabetic: alphabetic.trim(),
    ...(ideographic.trim() ? { ideographic: ideographic.trim() } : {}),
    ...(phonetic.trim() ? { phonetic: phonetic.trim() } : {}),
  };
}
