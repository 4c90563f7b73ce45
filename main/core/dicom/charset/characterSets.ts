/**
 * The character sets a Specific Character Set (0008,0005) value can name (PS3.3 C.12.1.1.2,
 * tables C.12-2 to C.12-5), with the WHATWG decoder label that decodes each and, for ISO 2022 code
 * extensions, the escape sequence that designates it (PS3.5 6.1.2.5.3).
 */

/** How bytes in one designated set decode. */
export interface CodeElement {
  /** 'latin1' is handled by Buffer (WHATWG maps the iso-8859-1 label to windows-1252). */
  readonly decoder: string;
  /** Bytes per character. */
  readonly width: 1 | 2;
  /** Which half of the code table the set occupies once designated. */
  readonly plane: 'G0' | 'G1';
}

export interface CharacterSetTerm {
  readonly term: string;
  /** Escape sequence (after ESC) that designates this set, for ISO 2022 terms. */
  readonly escapes: readonly string[];
  /** What is active at the start of a value when this term is the first one. */
  readonly g0?: CodeElement;
  readonly g1?: CodeElement;
  /** Whole-value decoder for terms without code extensions (UTF-8, GB18030, GBK). */
  readonly whole?: string;
}

const ASCII: CodeElement = { decoder: 'ascii', width: 1, plane: 'G0' };
const ROMAJI: CodeElement = { decoder: 'shift_jis', width: 1, plane: 'G0' };
const KATAKANA: CodeElement = { decoder: 'shift_jis', width: 1, plane: 'G1' };
const JIS_X_0208: CodeElement = { decoder: 'iso-2022-jp', width: 2, plane: 'G0' };
const JIS_X_0212: CodeElement = { decoder: 'euc-jp-0212', width: 2, plane: 'G0' };
const KS_X_1001: CodeElement = { decoder: 'euc-kr', width: 2, plane: 'G1' };
const GB2312: CodeElement = { decoder: 'gb18030', width: 2, plane: 'G1' };
const upper = (decoder: string): CodeElement => ({ decoder, width: 1, plane: 'G1' });

/** Single-byte sets: ASCII in G0 plus an ISO 8859 part in G1 (PS3.3 Table C.12-2/C.12-3). */
const SINGLE_BYTE: readonly (readonly [string, string, string])[] = [
  ['100', 'latin1', '-A'],
  ['101', 'iso-8859-2', '-B'],
  ['109', 'iso-8859-3', '-C'],
  ['110', 'iso-8859-4', '-D'],
  ['144', 'iso-8859-5', '-L'],
  ['127', 'iso-8859-6', '-G'],
  ['126', 'iso-8859-7', '-F'],
  ['138', 'iso-8859-8', '-H'],
  ['148', 'iso-8859-9', '-M'],
  ['203', 'iso-8859-15', '-b'],
  ['166', 'windows-874', '-T'],
];

function buildTable(): Map<string, CharacterSetTerm> {
  const table = new Map<string, CharacterSetTerm>();
  const add = (term: CharacterSetTerm) => table.set(term.term, term);
  add({ term: '', escapes: ['(B'], g0: ASCII });
  add({ term: 'ISO_IR 6', escapes: ['(B'], g0: ASCII });
  add({ term: 'ISO 2022 IR 6', escapes: ['(B'], g0: ASCII });
  for (const [number, decoder, escape] of SINGLE_BYTE) {
    add({ term: `ISO_IR ${number}`, escapes: [], g0: ASCII, g1: upper(decoder) });
    add({ term: `ISO 2022 IR ${number}`, escapes: [escape], g0: ASCII, g1: upper(decoder) });
  }
  add({ term: 'ISO_IR 13', escapes: [], g0: ROMAJI, g1: KATAKANA });
  add({ term: 'ISO 2022 IR 13', escapes: [')I', '(J'], g0: ROMAJI, g1: KATAKANA });
  add({ term: 'ISO 2022 IR 87', escapes: ['$B'], g0: JIS_X_0208 });
  add({ term: 'ISO 2022 IR 159', escapes: ['$(D'], g0: JIS_X_0212 });
  add({ term: 'ISO 2022 IR 149', escapes: ['$)C'], g1: KS_X_1001 });
  add({ term: 'ISO 2022 IR 58', escapes: ['$)A'], g1: GB2312 });
  add({ term: 'ISO_IR 192', escapes: [], whole: 'utf-8' });
  add({ term: 'GB18030', escapes: [], whole: 'gb18030' });
  add({ term: 'GBK', escapes: [], whole: 'gbk' });
  return table;
}

export const CHARACTER_SETS: ReadonlyMap<string, CharacterSetTerm> = buildTable();

/** Escape sequence (without ESC) → the code element it designates. */
export const ESCAPES: ReadonlyMap<string, CodeElement> = new Map<string, CodeElement>([
  ['(B', ASCII],
  ['(J', ROMAJI],
  [')I', KATAKANA],
  ['$B', JIS_X_0208],
  ['$@', JIS_X_0208],
  ['$(D', JIS_X_0212],
  ['$)C', KS_X_1001],
  ['$)A', GB2312],
  ...SINGLE_BYTE.map(([, decoder, escape]) => [escape, upper(decoder)] as const),
]);
