/**
 * Decodes DICOM text values to Unicode by their Specific Character Set (PS3.5 6.1, PS3.3
 * C.12.1.1.2). Single-byte sets and UTF-8/GB18030 go through TextDecoder (Node's full ICU);
 * ISO 2022 code extensions are switched by hand, escape sequence by escape sequence, and every
 * value, and every PN component group and component, starts again in the initial sets
 * (PS3.5 6.1.2.5.3).
 */
import { TextDecoder } from 'node:util';
import { CHARACTER_SETS, ESCAPES, type CharacterSetTerm, type CodeElement } from './characterSets';

/** A parsed (0008,0005) value. */
export interface SpecificCharacterSet {
  readonly terms: readonly string[];
  /** True when any term is an ISO 2022 term: escape sequences may switch sets inside values. */
  readonly codeExtensions: boolean;
}

/** VRs whose values Specific Character Set applies to (PS3.5 6.1.2.3); others are ASCII. */
export const TEXT_VRS: ReadonlySet<string> = new Set(['SH', 'LO', 'ST', 'LT', 'UT', 'PN', 'UC']);

/** Parses (0008,0005) from its raw backslash-separated text; unknown terms are kept (decoded as ASCII/Latin-1). */
export function parseSpecificCharacterSet(value: string | undefined): SpecificCharacterSet {
  const terms = (value ?? '').split('\\').map((term) => term.trim());
  return { terms, codeExtensions: terms.some((term) => term.startsWith('ISO 2022')) };
}

/** Whether `term` is a Defined Term this module decodes (anything else reads as ASCII/Latin-1). */
export const isKnownCharacterSetTerm = (term: string): boolean => CHARACTER_SETS.has(term);

const decoders = new Map<string, TextDecoder>();
function decoderFor(label: string): TextDecoder {
  let decoder = decoders.get(label);
  if (!decoder) {
    decoder = new TextDecoder(label);
    decoders.set(label, decoder);
  }
  return decoder;
}

function decodeWith(element: CodeElement | undefined, bytes: Uint8Array): string {
  if (bytes.length === 0) return '';
  if (!element || element.decoder === 'ascii' || element.decoder === 'latin1') {
    return Buffer.from(bytes).toString('latin1');
  }
  if (element.decoder === 'iso-2022-jp') {
    // Re-wrap the JIS X 0208 run in its own escapes for the WHATWG ISO-2022-JP decoder.
    return decoderFor('iso-2022-jp').decode(
      Buffer.concat([Buffer.from('\x1b$B'), bytes, Buffer.from('\x1b(B')]),
    );
  }
  if (element.decoder === 'euc-jp-0212') {
    // EUC-JP carries JIS X 0212 as 0x8F + both bytes with the high bit set.
    const euc = Buffer.alloc((bytes.length / 2) * 3);
    for (let i = 0; i + 1 < bytes.length; i += 2)
      euc.set([0x8f, (bytes[i] ?? 0) | 0x80, (bytes[i + 1] ?? 0) | 0x80], (i / 2) * 3);
    return decoderFor('euc-jp').decode(euc);
  }
  // Code extensions use the 8-bit form: G1 bytes arrive with the high bit set, as decoders expect.
  return decoderFor(element.decoder).decode(bytes);
}

/**
 * Decodes one element's value bytes (all its values, backslash-separated). `vr` decides whether
 * the character set applies and which delimiters reset ISO 2022 state. Never throws: bytes a
 * decoder cannot map become U+FFFD.
 */
export function decodeText(bytes: Uint8Array, charset: SpecificCharacterSet, vr = 'LO'): string {
  if (!TEXT_VRS.has(vr)) return Buffer.from(bytes).toString('latin1');
  const first = CHARACTER_SETS.get(charset.terms[0] ?? '') ?? CHARACTER_SETS.get('');
  if (first?.whole) return decoderFor(first.whole).decode(bytes);
  if (!charset.codeExtensions) return decodeSingleByte(bytes, first);
  return decodeIso2022(bytes, first, vr);
}

function decodeSingleByte(bytes: Uint8Array, term: CharacterSetTerm | undefined): string {
  if (!term?.g1) return decodeWith(term?.g0, bytes);
  // G0 (ASCII or JIS X 0201 Romaji) below 0x80, the G1 part above: one decoder covers both.
  return term.g1.decoder === 'latin1'
    ? Buffer.from(bytes).toString('latin1')
    : decoderFor(term.g1.decoder).decode(bytes);
}

const ESC = 0x1b;
const BACKSLASH = 0x5c;
const CARET = 0x5e;
const EQUALS = 0x3d;
const CR = 0x0d;
const LF = 0x0a;
const FF = 0x0c;

/** PS3.5 6.1.2.5.3: after these, the sets of the first term are active again. */
function isResetPoint(byte: number, vr: string): boolean {
  if (byte === BACKSLASH || byte === CR || byte === LF || byte === FF) return true;
  return vr === 'PN' && (byte === CARET || byte === EQUALS);
}

function decodeIso2022(bytes: Uint8Array, first: CharacterSetTerm | undefined, vr: string): string {
  const initialG0 = first?.g0 ?? ESCAPES.get('(B');
  const initialG1 = first?.g1;
  let g0 = initialG0;
  let g1 = initialG1;
  let out = '';
  let run: number[] = [];
  let runElement: CodeElement | undefined;
  const flush = () => {
    out += decodeWith(runElement, Uint8Array.from(run));
    run = [];
  };
  const emit = (element: CodeElement | undefined, ...codes: number[]) => {
    if (element !== runElement) {
      flush();
      runElement = element;
    }
    run.push(...codes);
  };
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] ?? 0;
    if (byte === ESC) {
      const designated = readEscape(bytes, i + 1);
      if (designated) {
        if (designated.element.plane === 'G0') g0 = designated.element;
        else g1 = designated.element;
        i += designated.length;
        continue;
      }
    }
    if (byte >= 0x80) {
      const width = g1?.width ?? 1;
      emit(g1, ...bytes.subarray(i, i + width));
      i += width - 1;
      continue;
    }
    if (g0?.width === 2 && byte >= 0x21) {
      emit(g0, ...bytes.subarray(i, i + 2));
      i += 1;
      continue;
    }
    emit(g0, byte);
    if (isResetPoint(byte, vr)) {
      g0 = initialG0;
      g1 = initialG1;
    }
  }
  flush();
  return out;
}

/** Matches the escape sequence starting after ESC; undefined when unknown (ESC kept as a byte). */
function readEscape(
  bytes: Uint8Array,
  start: number,
): { element: CodeElement; length: number } | undefined {
  for (const length of [2, 3]) {
    const text = Buffer.from(bytes.subarray(start, start + length)).toString('latin1');
    const element = ESCAPES.get(text);
    if (element && text.length === length) return { element, length };
  }
  return undefined;
}
