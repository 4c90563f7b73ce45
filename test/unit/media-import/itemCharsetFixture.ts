/**
 * Sequences whose items declare a Specific Character Set of their own (PS3.5 7.5.3), for the
 * conversion of a Latin-1 file to UTF-8: a Cyrillic item (ISO_IR 144) and a Greek one
 * (ISO_IR 126), each with a nested item that declares nothing and so is in its parent item's set.
 * Shared by the unit and integration tests of coercion.
 */
import { tag, type ElementSpec } from '../../../main/core/dimse/dataSet';

/** ISO 8859-5 / ISO 8859-7 bytes of `text` (Node has no encoder for them: mapped by hand). */
function singleByte(text: string, firstCodePoint: number, firstByte: number): Buffer {
  return Buffer.from(
    [...text].map((c) => {
      const code = c.codePointAt(0) ?? 0;
      return code < 0x80 ? code : code - firstCodePoint + firstByte;
    }),
  );
}
/** ISO 8859-5: U+0410–U+044F at 0xB0–0xEF. */
export const cyrillic = (text: string): Buffer => singleByte(text, 0x0410, 0xb0);
/** ISO 8859-7: U+0386–U+03CE at 0xB6–0xFE (ASCII and the capitals/small letters used here). */
export const greek = (text: string): Buffer => singleByte(text, 0x0386, 0xb6);

export const T = {
  requestAttributes: tag(0x0040, 0x0275),
  requestedProcedureDescription: tag(0x0032, 0x1060),
  requestedProcedureCodes: tag(0x0032, 0x1064),
  requestedProcedureId: tag(0x0040, 0x1001),
  referencedSamplePositions: tag(0x0040, 0xa132),
  verifyingObservers: tag(0x0040, 0xa073),
  verifyingObserverName: tag(0x0040, 0xa075),
  verifyingObserverCode: tag(0x0040, 0xa088),
  verifyingOrganization: tag(0x0040, 0xa027),
  codeValue: tag(0x0008, 0x0100),
  codingScheme: tag(0x0008, 0x0102),
  codeMeaning: tag(0x0008, 0x0104),
  charset: tag(0x0008, 0x0005),
};

/** What each text value must read as, whatever bytes carry it. */
export const TEXT = {
  description: 'Рентген грудной клетки',
  cyrillicMeaning: 'Грудь',
  observer: 'Παπαδόπουλος^Γιώργος',
  organization: 'Νοσοκομείο',
  greekMeaning: 'Ιατρός',
};

/** A UL whose bytes would be Cyrillic letters if read as text: it must stay as it is. */
export const SAMPLE_POSITIONS = Buffer.from([0xc0, 0xe9, 0x00, 0x00]);

const code = (meaning: Buffer): ElementSpec[] => [
  { tag: T.codeValue, vr: 'SH', value: 'C1' },
  { tag: T.codingScheme, vr: 'SH', value: '99LOCAL' },
  { tag: T.codeMeaning, vr: 'LO', value: meaning },
];

/** The Request Attributes Sequence: one Cyrillic item, a nested code item without a set. */
export const cyrillicRequest = (
  description = cyrillic(TEXT.description),
  charset = 'ISO_IR 144',
): ElementSpec => ({
  tag: T.requestAttributes,
  vr: 'SQ',
  value: [
    [
      { tag: T.charset, vr: 'CS', value: charset },
      { tag: T.requestedProcedureDescription, vr: 'LO', value: description },
      {
        tag: T.requestedProcedureCodes,
        vr: 'SQ',
        value: [code(cyrillic(TEXT.cyrillicMeaning))],
      },
      { tag: T.requestedProcedureId, vr: 'SH', value: 'RP1' },
      { tag: T.referencedSamplePositions, vr: 'UL', value: SAMPLE_POSITIONS },
    ],
  ],
});

/** The Verifying Observer Sequence: a Greek PN and LO, a nested code item without a set. */
export const greekObserver = (): ElementSpec => ({
  tag: T.verifyingObservers,
  vr: 'SQ',
  value: [
    [
      { tag: T.charset, vr: 'CS', value: 'ISO_IR 126' },
      { tag: T.verifyingOrganization, vr: 'LO', value: greek(TEXT.organization) },
      { tag: tag(0x0040, 0xa030), vr: 'DT', value: '20240102101010' },
      { tag: T.verifyingObserverName, vr: 'PN', value: greek(TEXT.observer) },
      { tag: T.verifyingObserverCode, vr: 'SQ', value: [code(greek(TEXT.greekMeaning))] },
    ],
  ],
});
