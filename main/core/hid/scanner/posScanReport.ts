/**
 * Decoding the scanned-data input report of a HID point-of-sale bar code scanner.
 *
 * Standard: USB HID Point of Sale Usage Tables 1.02, Bar Code Scanner page 0x8C (also HUT 1.4 §24):
 * Scanned Data Report (usage 0x12) holds Symbology Identifier 1–3 (0xFB–0xFD), Decoded Data (0xFE)
 * and the 1-bit Decode Data Continued (0xFF). The standard names the usages, not their byte
 * positions; those come from each scanner's report descriptor.
 *
 * ASSUMPTION (the layout Honeywell, Zebra and Datalogic scanners in HID POS mode use, and that
 * open-source WebHID readers decode): input report ID 0x02, 64 bytes including the ID:
 *   [0] report ID 0x02 · [1] length = number of symbol bytes in this report · [2..4] symbology
 *   identifier (AIM, e.g. "]C0") · [5..60] symbol bytes (56 at most), zero-padded · [63] bit 0 =
 *   Decode Data Continued (more reports follow for this symbol).
 * The layout is a parameter so a scanner with another descriptor needs no code change; reading it
 * from the report descriptor is not done yet.
 */

export interface PosReportLayout {
  readonly reportId: number;
  readonly lengthIndex: number;
  readonly symbologyIndex: number;
  readonly symbologyLength: number;
  readonly dataIndex: number;
  /** Most symbol bytes one report can carry; a larger length byte is clamped to it. */
  readonly dataCapacity: number;
  readonly continuedIndex: number;
  readonly continuedMask: number;
}

export const DEFAULT_POS_LAYOUT: PosReportLayout = {
  reportId: 0x02,
  lengthIndex: 1,
  symbologyIndex: 2,
  symbologyLength: 3,
  dataIndex: 5,
  dataCapacity: 56,
  continuedIndex: 63,
  continuedMask: 0x01,
};

export interface PosScanFragment {
  readonly data: Buffer;
  /** AIM symbology identifier ("]C0" Code 128, "]Q1" QR …) when printable, else undefined. */
  readonly aim: string | undefined;
  /** Decode Data Continued: more of this symbol follows in the next report. */
  readonly continued: boolean;
}

/** Decodes one report; undefined for other reports (status, other report IDs) or one too short to hold a length. */
export function decodePosReport(
  report: Uint8Array,
  layout: PosReportLayout = DEFAULT_POS_LAYOUT,
): PosScanFragment | undefined {
  if (report[0] !== layout.reportId) return undefined;
  const length = report[layout.lengthIndex];
  if (length === undefined) return undefined;
  const available = Math.max(0, report.length - layout.dataIndex);
  const count = Math.min(length, layout.dataCapacity, available);
  const data = Buffer.from(report.subarray(layout.dataIndex, layout.dataIndex + count));
  const flags = report[layout.continuedIndex] ?? 0;
  return { data, aim: aimOf(report, layout), continued: (flags & layout.continuedMask) !== 0 };
}

const AIM_FLAG = 0x5d; // ']' starts every AIM identifier (ISO/IEC 15424)

function aimOf(report: Uint8Array, layout: PosReportLayout): string | undefined {
  const bytes = report.subarray(
    layout.symbologyIndex,
    layout.symbologyIndex + layout.symbologyLength,
  );
  if (bytes[0] !== AIM_FLAG || bytes.some((byte) => byte < 0x20 || byte > 0x7e)) return undefined;
  return Buffer.from(bytes).toString('latin1');
}
